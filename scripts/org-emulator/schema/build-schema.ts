import { FieldDef, ObjectDef, PackageProject, withNamespace } from '../../metadata/project';
import { ExtraFieldSpec } from '../types';
import { extraFieldDefs } from './extra-fields';
import { field, FieldType, indexObject, OrgSchema, SField, SObjectDef } from './model';
import { STANDARD_OBJECTS, systemFields } from './standard-objects';

/**
 * Builds the emulated org's schema: the built-in standard objects, plus (when the package is
 * installed) the package's objects and fields read from force-app, under their namespaced names as a
 * subscriber org shows them (Object Reference, "Custom Objects": `namespace__Object__c`).
 */

/** Metadata API field type → describe type (Object Reference "Field Types"). */
const TYPE_MAP: Record<string, FieldType> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  Email: 'email',
  Url: 'url',
  Phone: 'phone',
  Picklist: 'picklist',
  Checkbox: 'boolean',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Date: 'date',
  DateTime: 'datetime',
  Lookup: 'reference',
  MasterDetail: 'reference',
  AutoNumber: 'string',
};

function packageField(ns: string, objectName: string, def: FieldDef): SField {
  const type = TYPE_MAP[def.type] ?? 'string';
  const autoNumber = def.type === 'AutoNumber';
  const isName = def.name === 'Name';
  const name = isName ? 'Name' : withNamespace(ns, def.name);
  const length =
    type === 'string' || type === 'textarea' ? (def.length ?? (autoNumber ? 30 : 255)) : field(name, type).length;
  return field(name, type, {
    label: def.label || def.name,
    length,
    precision: def.precision ?? (type === 'double' ? 18 : 0),
    scale: def.scale ?? 0,
    required: def.required && !autoNumber,
    nillable: !def.required && def.type !== 'Checkbox',
    unique: def.unique,
    externalId: def.externalId,
    idLookup: def.externalId || autoNumber || isName,
    caseSensitive: def.caseSensitive,
    createable: !autoNumber,
    updateable: !autoNumber,
    custom: !isName,
    autoNumber,
    referenceTo: def.referenceTo ? withNamespace(ns, def.referenceTo) : undefined,
    relationshipName: def.relationshipName ? withNamespace(ns, def.name.replace(/__c$/, '__r')) : undefined,
    deleteConstraint: def.deleteConstraint,
    picklistValues: def.picklistValues,
    restrictedPicklist: def.restrictedPicklist,
    flsKey: !isName && !def.required ? `${objectName}.${def.name}` : undefined,
    defaultValue: def.type === 'Checkbox' ? false : undefined,
  });
}

function packageObject(ns: string, def: ObjectDef, keyPrefix: string): SObjectDef {
  const fields = [...systemFields(true)];
  if (def.nameField) fields.push(packageField(ns, def.name, def.nameField));
  for (const f of def.fields) fields.push(packageField(ns, def.name, f));
  return indexObject({
    name: withNamespace(ns, def.name),
    label: def.label ?? def.name,
    labelPlural: def.pluralLabel ?? def.name,
    keyPrefix,
    custom: true,
    fromPackage: true,
    setup: false,
    sharingModel: def.sharingModel === 'ReadWrite' ? 'ReadWrite' : def.sharingModel === 'Private' ? 'Private' : 'Read',
    tooling: false,
    fields,
  });
}

/**
 * Builds the schema from the package project; `packageInstalled: false` leaves only standard objects.
 * `subscriberFields` adds the subscriber's own custom fields to standard objects.
 */
export function buildSchema(
  project: PackageProject,
  packageInstalled: boolean,
  subscriberFields?: Record<string, ExtraFieldSpec[]>,
): OrgSchema {
  const ns = project.namespace;
  const objects = new Map<string, SObjectDef>();
  const extraFields = new Map<string, SField[]>();
  let customIndex = 0;
  if (packageInstalled) {
    for (const def of project.objects.values()) {
      if (def.definedByPackage) {
        const obj = packageObject(ns, def, `a0${customIndex++}`);
        objects.set(obj.name.toLowerCase(), obj);
      } else {
        extraFields.set(
          def.name,
          def.fields.map((f) => packageField(ns, def.name, f)),
        );
      }
    }
  }
  const own = extraFieldDefs(subscriberFields, (name) => {
    const spec = STANDARD_OBJECTS.find((o) => o.name === name);
    return [...systemFields(true), ...(spec?.fields ?? []), ...(extraFields.get(name) ?? [])].map((f) => f.name);
  });
  for (const spec of STANDARD_OBJECTS) {
    const obj = indexObject({
      name: spec.name,
      label: spec.label,
      labelPlural: spec.labelPlural,
      keyPrefix: spec.keyPrefix,
      custom: false,
      fromPackage: false,
      setup: spec.setup,
      sharingModel: spec.sharingModel,
      tooling: spec.tooling ?? false,
      fields: [
        ...systemFields(spec.owned),
        ...spec.fields,
        ...(extraFields.get(spec.name) ?? []),
        ...(own.get(spec.name) ?? []),
      ],
    });
    objects.set(obj.name.toLowerCase(), obj);
  }
  return { namespace: ns, apiVersion: project.apiVersion, objects };
}
