/** The emulated org's schema: objects and fields under their API names as a subscriber org sees them. */

/** Field types as the REST describe call names them (`soapType` aside). */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'url'
  | 'phone'
  | 'picklist'
  | 'boolean'
  | 'double'
  | 'int'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'reference';

/** One field of an emulated object. */
export interface SField {
  /** API name, namespaced for package fields (e.g. `tightknit__Contact__c`). */
  name: string;
  label: string;
  type: FieldType;
  length: number;
  precision: number;
  scale: number;
  /** Must have a value on insert (nillable false, createable, no default). */
  required: boolean;
  nillable: boolean;
  unique: boolean;
  externalId: boolean;
  /** Usable as a lookup key in Bulk relationship columns and upsert (external ids, Id). */
  idLookup: boolean;
  caseSensitive: boolean;
  createable: boolean;
  updateable: boolean;
  custom: boolean;
  autoNumber: boolean;
  referenceTo?: string;
  /** Relationship name used in SOQL and Bulk headers (e.g. `tightknit__Community__r`, `Account`). */
  relationshipName?: string;
  /** What deleting the parent does: `Restrict` blocks it, `SetNull` clears this field (Cascade otherwise). */
  deleteConstraint?: string;
  picklistValues?: string[];
  restrictedPicklist: boolean;
  /** Field-level security applies (custom, not required); key `Object.Field` as in permission set XML. */
  flsKey?: string;
  /** Default value on insert when the caller sends none. */
  defaultValue?: string | boolean;
}

/** One object of the emulated org. */
export interface SObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  /** Defined by the managed package (object access comes from permission sets). */
  fromPackage: boolean;
  /** Setup objects (User, PermissionSet...) are readable by every API user and never written by the API. */
  setup: boolean;
  /** Organization-wide default: 'Read' = others' records are read-only, 'ReadWrite' = editable. */
  sharingModel: 'Read' | 'ReadWrite' | 'Private';
  /** Only reachable through the Tooling API. */
  tooling: boolean;
  fields: SField[];
  /** Lower-case field name → field. */
  byName: Map<string, SField>;
  /** Lower-case relationship name → the reference field that carries it. */
  byRelationship: Map<string, SField>;
}

/** The whole schema. */
export interface OrgSchema {
  namespace: string;
  apiVersion: string;
  /** Lower-case object name → object. */
  objects: Map<string, SObjectDef>;
}

/** Looks an object up case-insensitively. */
export function findObject(schema: OrgSchema, name: string): SObjectDef | undefined {
  return schema.objects.get(name.toLowerCase());
}

/** Fills in the lookup maps of an object from its field list. */
export function indexObject(obj: Omit<SObjectDef, 'byName' | 'byRelationship'>): SObjectDef {
  const byName = new Map<string, SField>();
  const byRelationship = new Map<string, SField>();
  for (const f of obj.fields) {
    byName.set(f.name.toLowerCase(), f);
    if (f.relationshipName) byRelationship.set(f.relationshipName.toLowerCase(), f);
  }
  return { ...obj, byName, byRelationship };
}

/** A field with the defaults most fields share; callers override what differs. */
export function field(name: string, type: FieldType, extra: Partial<SField> = {}): SField {
  const lengths: Partial<Record<FieldType, number>> = {
    id: 18,
    email: 80,
    url: 255,
    phone: 40,
    picklist: 255,
    reference: 18,
  };
  return {
    name,
    label: name.replace(/Id$/, '').replace(/__c$/, '').replace(/_/g, ' '),
    type,
    length: lengths[type] ?? 0,
    precision: 0,
    scale: 0,
    required: false,
    nillable: true,
    unique: false,
    externalId: false,
    idLookup: false,
    caseSensitive: false,
    createable: true,
    updateable: true,
    custom: name.endsWith('__c'),
    autoNumber: false,
    restrictedPicklist: false,
    ...extra,
  };
}
