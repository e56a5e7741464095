import { EmulatedOrg } from '../org';
import { SObjectDef } from '../schema/model';
import { SRecord } from './record-store';
import { fromJson } from './values';

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

  /** Inserts rows as they are (plus defaults and audit fields); returns the new ids. */
  insert(name: string, rows: SRecord[]): string[] {
    const obj = this.object(name);
    const table = this.org.store.table(obj);
    const admin = this.org.users.admin.id;
    return rows.map((row) => {
      const now = this.org.now();
      const rec: SRecord = {};
      for (const f of obj.fields) if (f.defaultValue !== undefined) rec[f.name] = f.defaultValue;
      for (const [key, value] of Object.entries(row)) {
        const f = obj.byName.get(key.toLowerCase());
        if (!f) throw new Error(`No field ${key} on ${obj.name}`);
        const c = fromJson(f, value);
        if (!c.ok) throw new Error(`${obj.name}.${f.name}: ${c.error.code}: ${c.error.message}`);
        rec[f.name] = c.value;
      }
      rec.Id ??= table.nextId();
      rec.IsDeleted ??= false;
      rec.CreatedDate ??= now;
      rec.CreatedById ??= admin;
      rec.LastModifiedDate ??= rec.CreatedDate;
      rec.LastModifiedById ??= rec.CreatedById;
      rec.SystemModstamp ??= rec.LastModifiedDate;
      if (obj.byName.has('ownerid')) rec.OwnerId ??= admin;
      if (['Contact', 'Lead', 'User'].includes(obj.name)) {
        rec.Name = [rec.FirstName, rec.LastName].filter((v) => typeof v === 'string' && v !== '').join(' ');
      }
      const auto = obj.fields.find((f) => f.autoNumber);
      if (auto && rec[auto.name] === undefined) rec[auto.name] = `ACT-${String(table.seq).padStart(10, '0')}`;
      table.add(rec);
      return rec.Id as string;
    });
  }
}
