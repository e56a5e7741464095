import { isIdShaped, to18 } from '../ids';
import { EmulatedOrg } from '../org';
import { SObjectDef } from '../schema/model';
import { convertLead } from './convert-lead';
import { convertedLeadError, Dml, isConvertedLead } from './dml';
import { mergeRecords } from './merge';
import { ObjectTable, SRecord } from './record-store';
import { fromJson, str } from './values';

const PERSON = ['Contact', 'Lead', 'User'];

function personName(rec: SRecord): string {
  return [rec.FirstName, rec.LastName].filter((v) => typeof v === 'string' && v !== '').join(' ');
}

/**
 * Test-side access to records (the contract's `org.records` / `org.insert`): no access checks, and
 * system fields such as `LastModifiedDate` or `OwnerId` may be set, but values are still type-checked
 * so a test cannot seed data the real org would never hold.
 */
export class DirectAccess {
  constructor(private readonly org: EmulatedOrg) {}

  private object(name: string): SObjectDef {
    const obj = this.org.object(name) ?? this.org.object(name, true);
    if (!obj)
      throw new Error(
        `Unknown object ${name} in the emulated org${this.org.packageInstalled ? '' : ' (the package is not installed)'}`,
      );
    return obj;
  }

  /** Copies of the current records of an object. */
  records(name: string): SRecord[] {
    return [...this.org.store.table(this.object(name)).byId.values()].map((r) => ({ ...r }));
  }

  /** Copies of the records of an object in the recycle bin. */
  deletedRecords(name: string): SRecord[] {
    return [...this.org.store.table(this.object(name)).deleted.values()].map((r) => ({ ...r }));
  }

  /** Type-checks test-supplied values against the object's fields (lookups normalised to 18 characters). */
  private convert(obj: SObjectDef, row: SRecord): SRecord {
    const out: SRecord = {};
    for (const [key, value] of Object.entries(row)) {
      const f = obj.byName.get(key.toLowerCase());
      if (!f) throw new Error(`No field ${key} on ${obj.name}`);
      const c = fromJson(f, value);
      if (!c.ok) throw new Error(`${obj.name}.${f.name}: ${c.error.code}: ${c.error.message}`);
      out[f.name] =
        f.type === 'reference' && typeof c.value === 'string' && isIdShaped(c.value) ? to18(c.value) : c.value;
    }
    return out;
  }

  private liveRecord(obj: SObjectDef, table: ObjectTable, id: string): SRecord {
    const key = isIdShaped(id) ? to18(id) : id;
    const rec = table.byId.get(key);
    if (rec) return rec;
    if (table.deleted.has(key))
      throw new Error(`${obj.name} ${id}: ENTITY_IS_DELETED: the record is in the recycle bin`);
    throw new Error(`${obj.name} ${id}: no such record`);
  }

  /** Changes a live record as the admin (no access checks), with new stamps unless the changes set them. */
  update(name: string, id: string, changes: SRecord): void {
    const obj = this.object(name);
    const table = this.org.store.table(obj);
    const rec = this.liveRecord(obj, table, id);
    if (isConvertedLead(obj, rec)) {
      const e = convertedLeadError();
      throw new Error(`Lead ${id}: ${e.code}: ${e.message} (a converted Lead is read-only)`);
    }
    const values = this.convert(obj, changes);
    delete values.Id;
    const now = this.org.now();
    values.LastModifiedDate ??= now;
    values.SystemModstamp ??= values.LastModifiedDate;
    values.LastModifiedById ??= this.org.users.admin.id;
    table.update(rec, values);
    if (PERSON.includes(obj.name)) rec.Name = personName(rec);
  }

  /** Deletes as the platform does (SetNull cleared, Restrict blocks, recycle bin), acting as the admin. */
  delete(name: string, id: string): void {
    const obj = this.object(name);
    const res = new Dml(this.org, this.org.users.admin).delete(obj, id);
    if (!res.ok) throw new Error(`${obj.name} ${id}: ${res.error.code}: ${res.error.message}`);
  }

  /** Merges duplicates into a master (see store/merge.ts), acting as the admin. */
  merge(name: string, masterId: string, duplicateIds: string[]): void {
    mergeRecords(this.org, this.org.users.admin, this.object(name).name, masterId, duplicateIds);
  }

  /** Converts a Lead (see store/convert-lead.ts), acting as the admin. */
  convertLead(
    leadId: string,
    opts?: { contactId?: string; accountId?: string },
  ): { contactId: string; accountId: string } {
    return convertLead(this.org, this.org.users.admin, str(leadId), opts);
  }

  /** Inserts rows as they are (plus defaults and audit fields); returns the new ids. */
  insert(name: string, rows: SRecord[]): string[] {
    const obj = this.object(name);
    const table = this.org.store.table(obj);
    const admin = this.org.users.admin.id;
    return rows.map((row) => {
      const now = this.org.now();
      const rec: SRecord = {};
      for (const f of obj.fields) if (f.defaultValue !== undefined) rec[f.name] = f.defaultValue;
      Object.assign(rec, this.convert(obj, row));
      rec.Id ??= table.nextId();
      rec.IsDeleted ??= false;
      rec.CreatedDate ??= now;
      rec.CreatedById ??= admin;
      rec.LastModifiedDate ??= rec.CreatedDate;
      rec.LastModifiedById ??= rec.CreatedById;
      rec.SystemModstamp ??= rec.LastModifiedDate;
      if (obj.byName.has('ownerid')) rec.OwnerId ??= admin;
      if (PERSON.includes(obj.name)) rec.Name = personName(rec);
      const auto = obj.fields.find((f) => f.autoNumber);
      if (auto && rec[auto.name] === undefined) rec[auto.name] = `ACT-${String(table.seq).padStart(10, '0')}`;
      table.add(rec);
      return rec.Id as string;
    });
  }
}
