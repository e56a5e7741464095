import { EmulatedOrg } from '../org';
import { SObjectDef } from '../schema/model';
import { lookupParent, resolveForeignKey } from '../store/foreign-key';
import { SRecord } from '../store/record-store';
import { RowError, rowError } from '../store/row-error';
import { fromJson } from '../store/values';

/**
 * Converts a REST record body (`{"Field": value, "Rel__r": {"ExtId__c": "x"}, "attributes": ...}`)
 * to stored values, with the record-level error Salesforce would report for the first bad field.
 */
export function recordFromJson(
  org: EmulatedOrg,
  obj: SObjectDef,
  body: Record<string, unknown>,
): { values: SRecord } | { error: RowError } {
  const values: SRecord = {};
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const f = obj.byName.get(key.toLowerCase());
    if (f) {
      const c = fromJson(f, raw);
      if (!c.ok) return { error: c.error };
      values[f.name] = c.value;
      continue;
    }
    if (raw && typeof raw === 'object') {
      const [[keyName, keyValue]] = Object.entries(raw as Record<string, unknown>).filter(([k]) => k !== 'attributes');
      const fk = resolveForeignKey(org, obj, key, keyName ?? '');
      if (fk) {
        const found = lookupParent(org, fk, String(keyValue));
        if ('error' in found) return { error: found.error };
        values[fk.ref.name] = found.id;
        continue;
      }
    }
    return { error: rowError('INVALID_FIELD', `No such column '${key}' on sobject of type ${obj.name}`, [key]) };
  }
  return { values };
}
