import { ApiContext } from '../context';
import { notFound } from '../http/errors';
import { Reply } from '../http/io';
import { RouteRequest } from '../http/router';
import { SField, SObjectDef } from '../schema/model';
import { UserAccess } from '../security/access';

/**
 * Describe calls (REST API "Describe Global" and "sObject Describe"), answered for the calling user:
 * objects they cannot read are absent (404 for a per-object describe), fields without FLS are left
 * out, and `createable`/`updateable` reflect object permissions and field-level security.
 */

const SOAP: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function objectFlags(obj: SObjectDef, access: UserAccess): Record<string, unknown> {
  const a = access.object(obj);
  return {
    name: obj.name,
    label: obj.label,
    labelPlural: obj.labelPlural,
    keyPrefix: obj.keyPrefix,
    custom: obj.custom,
    createable: a.create && !obj.setup,
    updateable: a.edit && !obj.setup,
    deletable: a.delete && !obj.setup,
    queryable: a.read,
    retrieveable: a.read,
    searchable: a.read && !obj.setup,
    layoutable: !obj.setup,
  };
}

function urls(version: string, obj: SObjectDef): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${obj.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function describeField(obj: SObjectDef, f: SField, access: UserAccess): Record<string, unknown> {
  const editable = access.fieldEditable(obj, f) && !obj.setup;
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: SOAP[f.type] ?? 'xsd:string',
    length: f.length,
    precision: f.precision,
    scale: f.scale,
    nillable: f.nillable,
    createable: editable && f.createable,
    updateable: editable && f.updateable,
    unique: f.unique,
    externalId: f.externalId,
    idLookup: f.idLookup,
    caseSensitive: f.caseSensitive,
    custom: f.custom,
    autoNumber: f.autoNumber,
    calculated: false,
    defaultedOnCreate:
      f.defaultValue !== undefined ||
      [
        'Id',
        'OwnerId',
        'CreatedDate',
        'CreatedById',
        'LastModifiedDate',
        'LastModifiedById',
        'SystemModstamp',
        'IsDeleted',
      ].includes(f.name),
    referenceTo: f.referenceTo ? [f.referenceTo] : [],
    relationshipName: f.relationshipName ?? null,
    restrictedPicklist: f.restrictedPicklist,
    picklistValues: (f.picklistValues ?? []).map((v) => ({
      value: v,
      label: v,
      active: true,
      defaultValue: f.defaultValue === v,
      validFor: null,
    })),
    filterable: f.type !== 'textarea',
    sortable: f.type !== 'textarea',
    permissionable: f.flsKey !== undefined,
  };
}

/** GET /sobjects. */
export function describeGlobal(r: RouteRequest<ApiContext>): Reply {
  const { org } = r.ctx.emu;
  const version = r.params[0];
  const sobjects = [...org.schema.objects.values()]
    .filter((o) => !o.tooling && r.ctx.access.object(o).read)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((o) => ({ ...objectFlags(o, r.ctx.access), urls: urls(version, o) }));
  return { status: 200, body: { encoding: 'UTF-8', maxBatchSize: 200, sobjects } };
}

function readable(r: RouteRequest<ApiContext>, name: string): SObjectDef {
  const obj = r.ctx.emu.org.object(name);
  if (!obj || !r.ctx.access.object(obj).read) throw notFound();
  return obj;
}

/** GET /sobjects/{object}/describe. */
export function describeObject(r: RouteRequest<ApiContext>): Reply {
  const [version, name] = r.params;
  const obj = readable(r, name);
  const access = r.ctx.access;
  const fields = obj.fields.filter((f) => access.fieldReadable(obj, f)).map((f) => describeField(obj, f, access));
  const childRelationships = [...r.ctx.emu.org.schema.objects.values()].flatMap((child) =>
    child.fields
      .filter((f) => f.referenceTo === obj.name && f.custom)
      .map((f) => ({
        childSObject: child.name,
        field: f.name,
        relationshipName: null,
        cascadeDelete: f.deleteConstraint === 'Cascade',
      })),
  );
  return { status: 200, body: { ...objectFlags(obj, access), fields, childRelationships, urls: urls(version, obj) } };
}

/** GET /sobjects/{object}: basic information. */
export function objectInfo(r: RouteRequest<ApiContext>): Reply {
  const [version, name] = r.params;
  const obj = readable(r, name);
  return {
    status: 200,
    body: { objectDescribe: { ...objectFlags(obj, r.ctx.access), urls: urls(version, obj) }, recentItems: [] },
  };
}
