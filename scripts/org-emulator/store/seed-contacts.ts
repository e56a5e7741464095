import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { EmulatedOrg } from '../org';
import { Dml } from './dml';
import { SRecord } from './record-store';
import { fromText } from './values';

/**
 * Loads Contacts from a CSV file (header row required). Columns: any Contact field by API name
 * (FirstName, LastName, Email, Title, Phone, LeadSource, AccountId), plus `AccountName` (or
 * `Account.Name`), which links the Contact to an Account of that name, created on first use. Rows are
 * inserted as the admin user with the normal validation; a bad row stops the load with its line number.
 */
export async function seedContacts(org: EmulatedOrg, file: string): Promise<number> {
  const contact = org.object('Contact');
  const account = org.object('Account');
  if (!contact || !account) throw new Error('The emulated org has no Contact or Account object');
  const dml = new Dml(org, org.users.admin);
  const accounts = new Map<string, string>();
  for (const a of org.store.table(account).byId.values()) accounts.set(String(a.Name).toLowerCase(), a.Id as string);
  const rows = createReadStream(file).pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, trim: true }),
  ) as AsyncIterable<Record<string, string>>;
  let line = 1;
  let count = 0;
  for await (const row of rows) {
    line++;
    const values: SRecord = {};
    for (const [key, raw] of Object.entries(row)) {
      if (raw === '') continue;
      if (key === 'AccountName' || key === 'Account.Name') {
        let id = accounts.get(raw.toLowerCase());
        if (!id) {
          const res = dml.insert(account, { Name: raw });
          if (!res.ok) throw new Error(`${file}:${line}: Account ${raw}: ${res.error.code}: ${res.error.message}`);
          id = res.id;
          accounts.set(raw.toLowerCase(), id);
        }
        values.AccountId = id;
        continue;
      }
      const f = contact.byName.get(key.toLowerCase());
      if (!f) throw new Error(`${file}: unknown Contact column ${key}`);
      const c = fromText(f, raw);
      if (!c.ok) throw new Error(`${file}:${line}: ${c.error.code}: ${c.error.message}`);
      values[f.name] = c.value;
    }
    const res = dml.insert(contact, values);
    if (!res.ok) throw new Error(`${file}:${line}: ${res.error.code}: ${res.error.message}`);
    count++;
  }
  return count;
}
