import { EmulatedOrg, OrgUser } from '../org';
import { isIdShaped, to18 } from '../ids';
import { SField, SObjectDef } from '../schema/model';
import { UserAccess } from '../security/access';
import { ObjectTable, SRecord } from './record-store';
import { RowError, rowError } from './row-error';
import { str } from './values';

/**
 * The write path every API shares (REST sObject, composite collections, Bulk API 2.0): access,
 * field-level security, required fields, unique values, lookups, ownership, audit fields. Error codes
 * and messages follow the SOAP/REST API "StatusCode" list (API Reference, "Core Data Types Used in
 * API Calls") and messages seen in real job results.
 */

export type WriteResult = { ok: true; id: string; created: boolean } | { ok: false; error: RowError; id?: string };

const NO_ACCESS =
  'You do not have the level of access necessary to perform the operation you requested. Please contact the owner of the record or your administrator if access is necessary.';

/** A converted Lead is read-only afterwards (Salesforce Help 000384333). */
export function isConvertedLead(obj: SObjectDef, rec: SRecord): boolean {
  return obj.name === 'Lead' && rec.IsConverted === true;
}

/** The error an update of a converted Lead gets (message as real API answers show it). */
export function convertedLeadError(): RowError {
  return rowError('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
}

/** What the write path needs to know about an object, computed once per writer. */
interface ObjectPlan {
  required: SField[];
  unique: SField[];
  defaults: SField[];
  autoNumber?: SField;
  owned: boolean;
  personName: boolean;
  /** Field → may this user write it (creating, updating). */
  writable: Map<SField, [boolean, boolean]>;
}

/** A writer acting as one user at one moment; `now` is shared so a big job allocates one timestamp string per chunk. */
export class Dml {
  readonly access: UserAccess;
  now: string;
  private readonly plans = new Map<SObjectDef, ObjectPlan>();
  private readonly targets = new Map<SField, SObjectDef>();

  constructor(
    readonly org: EmulatedOrg,
    readonly user: OrgUser,
  ) {
    this.access = org.access(user);
    this.now = org.now();
  }

  private plan(obj: SObjectDef): ObjectPlan {
    let plan = this.plans.get(obj);
    if (!plan) {
      plan = {
        required: obj.fields.filter((f) => f.required && f.createable),
        unique: obj.fields.filter((f) => f.unique),
        defaults: obj.fields.filter((f) => f.defaultValue !== undefined),
        autoNumber: obj.fields.find((f) => f.autoNumber),
        owned: obj.byName.has('ownerid'),
        personName: ['Contact', 'Lead', 'User'].includes(obj.name),
        writable: new Map(),
      };
      this.plans.set(obj, plan);
    }
    return plan;
  }

  private fieldError(obj: SObjectDef, f: SField, creating: boolean): RowError | undefined {
    const plan = this.plan(obj);
    let w = plan.writable.get(f);
    if (!w) {
      const editable = this.access.fieldEditable(obj, f);
      w = [editable && f.createable, editable && f.updateable];
      plan.writable.set(f, w);
    }
    if (creating ? w[0] : w[1]) return undefined;
    return rowError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${f.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      [f.name],
    );
  }

  /** Checks lookups: the id must be well formed, of the referenced object, and exist. */
  private referenceError(f: SField, value: unknown): RowError | undefined {
    const v = str(value);
    if (!isIdShaped(v)) return rowError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${v}`, [f.name]);
    let target = this.targets.get(f);
    if (!target && f.referenceTo) {
      target = this.org.object(f.referenceTo) ?? this.org.object(f.referenceTo, true);
      if (target) this.targets.set(f, target);
    }
    if (!target || !v.startsWith(target.keyPrefix)) {
      return rowError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${v}`, [f.name]);
    }
    if (!this.org.store.table(target).byId.has(to18(v))) {
      return rowError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [f.name]);
    }
    return undefined;
  }

  private uniqueError(table: ObjectTable, values: SRecord, selfId?: string): RowError | undefined {
    for (const f of this.plan(table.def).unique) {
      const v = values[f.name];
      if (v === null || v === undefined) continue;
      const other = table.findIdBy(f, v);
      if (other && other !== selfId) {
        return rowError(
          'DUPLICATE_VALUE',
          `duplicate value found: ${f.name} duplicates value on record with id: ${other}`,
        );
      }
    }
    return undefined;
  }

  /** Validates the fields being written (FLS, createable/updateable, lookups); normalises ids. */
  private checkFields(obj: SObjectDef, values: SRecord, creating: boolean): RowError | undefined {
    for (const name of Object.keys(values)) {
      const f = obj.byName.get(name.toLowerCase());
      if (!f) return rowError('INVALID_FIELD', `No such column '${name}' on sobject of type ${obj.name}`, [name]);
      if (f.name === 'OwnerId' && creating && f.createable) continue;
      const err = this.fieldError(obj, f, creating);
      if (err) return err;
      const v = values[name];
      if (f.type === 'reference' && v !== null && v !== undefined) {
        const refErr = this.referenceError(f, v);
        if (refErr) return refErr;
        values[name] = to18(str(v));
      }
    }
    return undefined;
  }

  private missingRequired(obj: SObjectDef, rec: SRecord): RowError | undefined {
    let missing: SField[] | undefined;
    for (const f of this.plan(obj).required) {
      if (rec[f.name] === null || rec[f.name] === undefined) (missing ??= []).push(f);
    }
    if (!missing) return undefined;
    const names = missing.map((f) => f.name);
    return rowError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${names.join(', ')}]`, names);
  }

  private canModify(obj: SObjectDef, rec: SRecord): boolean {
    const a = this.access.object(obj);
    if (!a.edit) return false;
    if (a.modifyAll || obj.sharingModel === 'ReadWrite') return true;
    return rec.OwnerId === this.user.id || !('OwnerId' in rec);
  }

  private derive(obj: SObjectDef, rec: SRecord): void {
    if (this.plan(obj).personName && ('FirstName' in rec || 'LastName' in rec)) {
      rec.Name = [rec.FirstName, rec.LastName].filter((v) => v !== null && v !== undefined && v !== '').join(' ');
    }
  }

  /** Creates a record from converted values (null = no value). */
  insert(obj: SObjectDef, values: SRecord): WriteResult {
    if (!this.access.object(obj).create || obj.setup)
      return { ok: false, error: rowError('INSUFFICIENT_ACCESS_OR_READONLY', NO_ACCESS) };
    const fieldErr = this.checkFields(obj, values, true);
    if (fieldErr) return { ok: false, error: fieldErr };
    const table = this.org.store.table(obj);
    const plan = this.plan(obj);
    const rec: SRecord = { Id: '' };
    for (const f of plan.defaults) rec[f.name] = f.defaultValue;
    for (const k in values) if (values[k] !== undefined) rec[k] = values[k];
    const required = this.missingRequired(obj, rec);
    if (required) return { ok: false, error: required };
    const dup = this.uniqueError(table, rec);
    if (dup) return { ok: false, error: dup };
    const id = table.nextId();
    const autoName = plan.autoNumber;
    rec.Id = id;
    rec.IsDeleted = false;
    rec.CreatedDate = this.now;
    rec.CreatedById = this.user.id;
    rec.LastModifiedDate = this.now;
    rec.LastModifiedById = this.user.id;
    rec.SystemModstamp = this.now;
    if (plan.owned && !rec.OwnerId) rec.OwnerId = this.user.id;
    if (autoName) rec[autoName.name] = `ACT-${String(table.seq).padStart(10, '0')}`;
    this.derive(obj, rec);
    table.add(rec);
    return { ok: true, id, created: true };
  }

  /** The audit fields a write by this user at this moment sets. */
  stamps(): SRecord {
    return { LastModifiedDate: this.now, LastModifiedById: this.user.id, SystemModstamp: this.now };
  }

  /** Finds a record by id for update/delete, with the platform's errors for bad or unknown ids. */
  find(obj: SObjectDef, id: string): { rec?: SRecord; error?: RowError } {
    if (!isIdShaped(id)) return { error: rowError('MALFORMED_ID', `malformed id ${id}`, ['Id']) };
    if (!id.startsWith(obj.keyPrefix))
      return { error: rowError('MALFORMED_ID', `${obj.name} ID: id value of incorrect type: ${id}`, ['Id']) };
    const rec = this.org.store.table(obj).byId.get(to18(id));
    return rec ? { rec } : { error: rowError('ENTITY_IS_DELETED', 'entity is deleted') };
  }

  /** Updates a record; values absent from `values` stay as they are, null clears. */
  update(obj: SObjectDef, id: string, values: SRecord): WriteResult {
    const { rec, error } = this.find(obj, id);
    if (!rec) return { ok: false, error: error ?? rowError('UNKNOWN_EXCEPTION', 'not found'), id };
    return this.updateRecord(obj, rec, values);
  }

  private updateRecord(obj: SObjectDef, rec: SRecord, values: SRecord): WriteResult {
    const id = rec.Id as string;
    if (isConvertedLead(obj, rec)) return { ok: false, id, error: convertedLeadError() };
    if (!this.canModify(obj, rec) || obj.setup) {
      return {
        ok: false,
        id,
        error: rowError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id'),
      };
    }
    delete values.Id;
    const fieldErr = this.checkFields(obj, values, false);
    if (fieldErr) return { ok: false, id, error: fieldErr };
    const cleared = obj.fields.filter((f) => f.required && values[f.name] === null).map((f) => f.name);
    if (cleared.length) {
      return {
        ok: false,
        id,
        error: rowError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${cleared.join(', ')}]`, cleared),
      };
    }
    const table = this.org.store.table(obj);
    const dup = this.uniqueError(table, values, id);
    if (dup) return { ok: false, id, error: dup };
    for (const k of Object.keys(values)) if (values[k] === undefined) delete values[k];
    Object.assign(values, this.stamps());
    table.update(rec, values);
    this.derive(obj, rec);
    return { ok: true, id, created: false };
  }

  /** Inserts or updates by an external id (or Id) field. */
  upsert(obj: SObjectDef, keyField: SField, key: string, values: SRecord): WriteResult {
    if (key === '') return { ok: false, error: rowError('MISSING_ARGUMENT', `${keyField.name} not specified`) };
    const table = this.org.store.table(obj);
    const existing = table.findIdBy(keyField, keyField.type === 'id' ? to18(key) : key);
    if (existing) return this.updateRecord(obj, table.byId.get(existing) as SRecord, values);
    if (keyField.type === 'id')
      return {
        ok: false,
        error: rowError('NOT_FOUND', 'Provided external ID field does not exist or is not accessible: ' + key),
      };
    return this.insert(obj, { ...values, [keyField.name]: values[keyField.name] ?? key });
  }

  /**
   * Deletes a record: child lookups with SetNull are cleared (a system update of the child: its stamps
   * move), Restrict blocks the delete. The record goes to the recycle bin with IsDeleted = true and new
   * stamps (queryAll sees it); `hard` (Bulk hardDelete) removes it for good.
   */
  delete(obj: SObjectDef, id: string, hard = false): WriteResult {
    const { rec, error } = this.find(obj, id);
    if (!rec) return { ok: false, id, error: error ?? rowError('ENTITY_IS_DELETED', 'entity is deleted') };
    const a = this.access.object(obj);
    if (!a.delete || !this.canModify(obj, rec)) {
      return {
        ok: false,
        id,
        error: rowError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id'),
      };
    }
    const rid = rec.Id as string;
    const children: Array<{ table: ObjectTable; f: SField }> = [];
    for (const child of this.org.schema.objects.values()) {
      for (const f of child.fields)
        if (f.type === 'reference' && f.referenceTo === obj.name && f.custom)
          children.push({ table: this.org.store.table(child), f });
    }
    for (const { table, f } of children) {
      if (f.deleteConstraint !== 'Restrict') continue;
      for (const r of table.byId.values()) {
        if (r[f.name] === rid) {
          return {
            ok: false,
            id,
            error: rowError(
              'DELETE_FAILED',
              `Your attempt to delete ${str(rec.Name ?? rid)} could not be completed because it is associated with the following ${table.def.labelPlural}.: ${str(r.Name ?? r.Id)}`,
            ),
          };
        }
      }
    }
    for (const { table, f } of children) {
      for (const r of table.byId.values()) if (r[f.name] === rid) table.update(r, { [f.name]: null, ...this.stamps() });
    }
    const table = this.org.store.table(obj);
    if (hard) table.remove(rid);
    else table.softDelete(rec, this.stamps());
    return { ok: true, id: rid, created: false };
  }
}
