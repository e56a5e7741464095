import { MemberFields, SObjects } from '../../generated/sobjects';
import type { DescribeResult, SalesforceApi } from '../salesforce/client';
import type { CheckItem } from './check';
import { syncedObjects } from './package-fields';

/**
 * Field-level security on every field the sync writes (one item), and on Member__c.Contact__c by name
 * (one item: Bulk API reports a hidden lookup only as "Field name not found").
 */
export async function fieldSecurityChecks(conn: SalesforceApi): Promise<CheckItem[]> {
  const checks: CheckItem[] = [];
  const add = (item: CheckItem): void => {
    checks.push(item);
  };
  const missing: string[] = [];
  let contactLookup: 'ok' | 'missing' | 'readonly' = 'missing';
  for (const obj of syncedObjects()) {
    let d: DescribeResult | undefined;
    try {
      d = await conn.describe(obj.name);
    } catch {
      missing.push(`${obj.name} (object)`);
      continue;
    }
    const byName = new Map(d.fields.map((f) => [f.name.toLowerCase(), f]));
    for (const f of obj.fields) {
      const got = byName.get(f.name.toLowerCase());
      const editable = got !== undefined && (got.updateable === true || got.createable === true);
      if (obj.name === SObjects.Member && f.name === MemberFields.Contact) {
        contactLookup = got === undefined ? 'missing' : editable ? 'ok' : 'readonly';
      }
      if (!editable && !f.required) missing.push(`${obj.name}.${f.name}`);
    }
  }
  add({
    id: 'fls',
    label: 'Field-level security on the Tightknit fields',
    status: missing.length === 0 ? 'pass' : 'fail',
    blocking: true,
    detail:
      missing.length === 0
        ? 'Read and Edit on every field the sync writes.'
        : `No Read+Edit on ${missing.length} field(s): ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''}.`,
    fix:
      missing.length === 0
        ? undefined
        : 'Assign the Tightknit Integration User permission set (it grants Read and Edit on every Tightknit field).',
  });
  add({
    id: 'fls-member-contact',
    label: 'Field-level security on Member__c.Contact__c',
    status: contactLookup === 'ok' ? 'pass' : 'fail',
    blocking: true,
    detail:
      contactLookup === 'ok'
        ? 'The Contact lookup on Community Member is editable.'
        : contactLookup === 'readonly'
          ? 'Member__c.Contact__c is read-only for the integration user, so member-to-Contact links cannot be written.'
          : 'Member__c.Contact__c is not visible to the integration user; Bulk API reports it as "Field name not found".',
    fix:
      contactLookup === 'ok'
        ? undefined
        : 'Grant Read and Edit on Community Member → Contact (Member__c.Contact__c), e.g. by assigning Tightknit Integration User; Contact must also be readable.',
  });
  return checks;
}
