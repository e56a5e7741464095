import { to18 } from '../ids';
import { EmulatedOrg, OrgUser } from '../org';
import { SObjectDef } from '../schema/model';
import { convertedLeadError, Dml, isConvertedLead } from './dml';
import { ObjectTable, SRecord } from './record-store';

/**
 * Merge as SOAP merge() and Apex `merge` do it (SOAP API Developer Guide, "merge()"; Apex Developer
 * Guide, "Merging Records", "Triggers and Merge Statements"): up to three records of one object
 * (Account, Contact, Lead) become the master; every record whose lookup pointed at a duplicate is
 * re-parented to the master; the duplicates are deleted with MasterRecordId = master (so queryAll shows
 * where they went); the master gets an update. Field values are not copied from the duplicates: as with
 * merge(), a caller that wants them sets them on the master first (with `org.update`).
 */

const MERGEABLE = ['Account', 'Contact', 'Lead'];

function fail(code: string, message: string): never {
  throw new Error(`merge: ${code}: ${message}`);
}

/** A live record of the object, or a thrown error naming why not. */
function live(obj: SObjectDef, table: ObjectTable, id: string, role: string): SRecord {
  const key = /^[a-zA-Z0-9]{15,18}$/.test(id) ? to18(id) : id;
  const rec = table.byId.get(key);
  if (rec) return rec;
  if (table.deleted.has(key)) fail('ENTITY_IS_DELETED', `the ${role} ${obj.name} ${id} is in the recycle bin`);
  return fail('INVALID_CROSS_REFERENCE_KEY', `no ${obj.name} with id ${id} (the ${role})`);
}

/** Merges `duplicateIds` (one or two) into `masterId`, acting as `user` at the org's current time. */
export function mergeRecords(
  org: EmulatedOrg,
  user: OrgUser,
  sobject: string,
  masterId: string,
  duplicateIds: string[],
): void {
  const obj = org.object(sobject);
  if (!obj || !MERGEABLE.includes(obj.name))
    fail('INVALID_TYPE', `${sobject} cannot be merged; merge Account, Contact or Lead records`);
  if (duplicateIds.length < 1 || duplicateIds.length > 2)
    fail(
      'INVALID_ARGUMENT',
      `merge takes one or two duplicates (up to three records in all), got ${duplicateIds.length}`,
    );
  const table = org.store.table(obj);
  const master = live(obj, table, masterId, 'master');
  const dups = duplicateIds.map((id) => live(obj, table, id, 'duplicate'));
  const dupIds = new Set(dups.map((d) => d.Id as string));
  if (dupIds.has(master.Id as string)) fail('INVALID_ARGUMENT', 'the master is also listed as a duplicate');
  if (dupIds.size !== dups.length) fail('INVALID_ARGUMENT', 'a duplicate is listed twice');
  for (const r of [master, ...dups])
    if (isConvertedLead(obj, r)) fail(convertedLeadError().code, `Lead ${String(r.Id)} is converted`);

  const dml = new Dml(org, user);
  const stamps = dml.stamps();
  const masterKey = master.Id as string;
  // Re-parent children: every updateable lookup to this object, standard (AccountId, ParentId) or custom
  // (tightknit__Member__c.tightknit__Contact__c). Read-only references (MasterRecordId, ConvertedContactId)
  // keep pointing at the record they named.
  for (const child of org.schema.objects.values()) {
    if (child.setup || child.tooling) continue;
    const refs = child.fields.filter((f) => f.type === 'reference' && f.referenceTo === obj.name && f.updateable);
    if (!refs.length) continue;
    const childTable = org.store.table(child);
    for (const r of childTable.byId.values()) {
      let changes: SRecord | undefined;
      for (const f of refs) {
        const v = r[f.name];
        if (typeof v === 'string' && dupIds.has(v)) (changes ??= {})[f.name] = r.Id === masterKey ? null : masterKey;
      }
      if (changes) childTable.update(r, { ...changes, ...stamps });
    }
  }
  for (const d of dups) table.softDelete(d, { ...stamps, MasterRecordId: masterKey });
  table.update(master, { ...stamps });
}
