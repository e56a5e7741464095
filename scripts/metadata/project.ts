import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { children, flag, readMetadataXml, text, XmlNode } from './xml';

/**
 * The one reader of this repository's package source (force-app + sfdx-project.json).
 * The metadata checks, the code generator and the org emulator all build on it.
 */

export interface FieldDef {
  /** API name as written in the package source, e.g. `Contact__c` (not namespaced). */
  name: string;
  label: string;
  type: string;
  description?: string;
  helpText?: string;
  length?: number;
  precision?: number;
  scale?: number;
  required: boolean;
  unique: boolean;
  externalId: boolean;
  caseSensitive: boolean;
  referenceTo?: string;
  relationshipName?: string;
  deleteConstraint?: string;
  picklistValues?: string[];
  restrictedPicklist: boolean;
  displayFormat?: string;
}

export interface ObjectDef {
  /** API name as written in the package source, e.g. `Member__c` or `Account`. */
  name: string;
  /** True for objects the package defines (has an .object-meta.xml); false for standard objects it only adds fields to. */
  definedByPackage: boolean;
  label?: string;
  pluralLabel?: string;
  sharingModel?: string;
  externalSharingModel?: string;
  /** `List` or `Hierarchy` for a custom setting; undefined for a data object. */
  customSettingsType?: string;
  /** The Name field (type Text or AutoNumber) of a package object. */
  nameField?: FieldDef;
  fields: FieldDef[];
}

interface ObjectPermissionDef {
  object: string;
  allowCreate: boolean;
  allowRead: boolean;
  allowEdit: boolean;
  allowDelete: boolean;
  viewAllRecords: boolean;
  modifyAllRecords: boolean;
}

export interface PermissionSetDef {
  name: string;
  label: string;
  objects: ObjectPermissionDef[];
  /** `Object.Field` → access */
  fields: Map<string, { readable: boolean; editable: boolean }>;
  classes: string[];
  applications: string[];
  userPermissions: string[];
}

export interface PackageProject {
  root: string;
  namespace: string;
  apiVersion: string;
  /** The default package directory's `package` name (e.g. "Tightknit Analytics"). */
  packageName: string;
  /** The default package directory's `versionNumber` (e.g. "0.1.0.NEXT"). */
  versionNumber: string;
  packageDir: string;
  objects: Map<string, ObjectDef>;
  permissionSets: Map<string, PermissionSetDef>;
}

export const REPO_ROOT = resolve(__dirname, '..', '..');

function num(v: string | undefined): number | undefined {
  return v === undefined ? undefined : Number(v);
}

function parseField(node: XmlNode): FieldDef {
  const type = text(node, 'type') ?? 'Text';
  const valueSet = children(node, 'valueSet')[0];
  const definition = valueSet ? children(valueSet, 'valueSetDefinition')[0] : undefined;
  return {
    name: text(node, 'fullName') ?? '',
    label: text(node, 'label') ?? '',
    type,
    description: text(node, 'description'),
    helpText: text(node, 'inlineHelpText'),
    length: num(text(node, 'length')),
    precision: num(text(node, 'precision')),
    scale: num(text(node, 'scale')),
    required: flag(node, 'required'),
    unique: flag(node, 'unique'),
    externalId: flag(node, 'externalId'),
    caseSensitive: flag(node, 'caseSensitive'),
    referenceTo: text(node, 'referenceTo'),
    relationshipName: text(node, 'relationshipName'),
    deleteConstraint: text(node, 'deleteConstraint'),
    picklistValues: definition ? children(definition, 'value').map((v) => text(v, 'fullName') ?? '') : undefined,
    restrictedPicklist: valueSet ? flag(valueSet, 'restricted') : false,
    displayFormat: text(node, 'displayFormat'),
  };
}

function readObject(dir: string, name: string): ObjectDef {
  const objectFile = join(dir, `${name}.object-meta.xml`);
  const obj: ObjectDef = { name, definedByPackage: existsSync(objectFile), fields: [] };
  if (obj.definedByPackage) {
    const { root } = readMetadataXml(objectFile);
    obj.label = text(root, 'label');
    obj.pluralLabel = text(root, 'pluralLabel');
    obj.sharingModel = text(root, 'sharingModel');
    obj.externalSharingModel = text(root, 'externalSharingModel');
    obj.customSettingsType = text(root, 'customSettingsType');
    const nameNode = children(root, 'nameField')[0];
    if (nameNode) {
      const nameField = parseField(nameNode);
      obj.nameField = {
        ...nameField,
        name: 'Name',
        required: nameField.type !== 'AutoNumber',
        length: nameField.type === 'Text' ? 80 : undefined,
      };
    }
  }
  const fieldsDir = join(dir, 'fields');
  if (existsSync(fieldsDir)) {
    for (const f of readdirSync(fieldsDir)
      .filter((f) => f.endsWith('.field-meta.xml'))
      .sort()) {
      obj.fields.push(parseField(readMetadataXml(join(fieldsDir, f)).root));
    }
  }
  return obj;
}

function readPermissionSet(file: string): PermissionSetDef {
  const { root } = readMetadataXml(file);
  const fields = new Map<string, { readable: boolean; editable: boolean }>();
  for (const fp of children(root, 'fieldPermissions')) {
    fields.set(text(fp, 'field') ?? '', { readable: flag(fp, 'readable'), editable: flag(fp, 'editable') });
  }
  return {
    name: basename(file).replace('.permissionset-meta.xml', ''),
    label: text(root, 'label') ?? '',
    objects: children(root, 'objectPermissions').map((op) => ({
      object: text(op, 'object') ?? '',
      allowCreate: flag(op, 'allowCreate'),
      allowRead: flag(op, 'allowRead'),
      allowEdit: flag(op, 'allowEdit'),
      allowDelete: flag(op, 'allowDelete'),
      viewAllRecords: flag(op, 'viewAllRecords'),
      modifyAllRecords: flag(op, 'modifyAllRecords'),
    })),
    fields,
    classes: children(root, 'classAccesses')
      .filter((c) => flag(c, 'enabled'))
      .map((c) => text(c, 'apexClass') ?? ''),
    applications: children(root, 'applicationVisibilities')
      .filter((a) => flag(a, 'visible'))
      .map((a) => text(a, 'application') ?? ''),
    userPermissions: children(root, 'userPermissions')
      .filter((u) => flag(u, 'enabled'))
      .map((u) => text(u, 'name') ?? ''),
  };
}

/** Reads sfdx-project.json and the package directory's objects and permission sets. */
export function readPackageProject(root: string = REPO_ROOT): PackageProject {
  const sfdx = JSON.parse(readFileSync(join(root, 'sfdx-project.json'), 'utf8')) as {
    namespace?: string;
    sourceApiVersion: string;
    packageDirectories: { path: string; default?: boolean; package?: string; versionNumber?: string }[];
  };
  const pkg = sfdx.packageDirectories.find((p) => p.default) ?? sfdx.packageDirectories[0];
  const base = join(root, pkg.path, 'main', 'default');
  const objects = new Map<string, ObjectDef>();
  const objectsDir = join(base, 'objects');
  if (existsSync(objectsDir)) {
    for (const name of readdirSync(objectsDir).sort()) objects.set(name, readObject(join(objectsDir, name), name));
  }
  const permissionSets = new Map<string, PermissionSetDef>();
  const psDir = join(base, 'permissionsets');
  if (existsSync(psDir)) {
    for (const f of readdirSync(psDir)
      .filter((f) => f.endsWith('.permissionset-meta.xml'))
      .sort()) {
      const ps = readPermissionSet(join(psDir, f));
      permissionSets.set(ps.name, ps);
    }
  }
  return {
    root,
    namespace: sfdx.namespace ?? '',
    apiVersion: sfdx.sourceApiVersion,
    packageName: pkg.package ?? '',
    versionNumber: pkg.versionNumber ?? '0.1.0.NEXT',
    packageDir: base,
    objects,
    permissionSets,
  };
}

/** `Member__c` → `tightknit__Member__c`; standard names (no `__c`) and already-prefixed names are unchanged. */
export function withNamespace(namespace: string, apiName: string): string {
  if (!namespace || !/__(c|r|mdt)$/.test(apiName) || apiName.startsWith(`${namespace}__`)) return apiName;
  return `${namespace}__${apiName}`;
}
