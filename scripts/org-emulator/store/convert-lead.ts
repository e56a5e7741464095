import { to18 } from '../ids';
import { EmulatedOrg, OrgUser } from '../org';
import { CONVERTED_LEAD_STATUS } from '../schema/standard-objects';
import { convertedLeadError, Dml, isConvertedLead } from './dml';
import { ObjectTable, SRecord } from './record-store';

/**
 * Lead conversion as SOAP convertLead() and Apex Database.convertLead do it (SOAP API Developer Guide,
 * "convertLead()"; Apex Reference, "LeadConvert Class"; Change Data Capture, "Change Events for Lead
 * Conversion"): an Account (Name = Company) and a Contact (names, Email, Title) are created unless
 * given; into a given Contact only its empty fields are filled; the Lead gets IsConverted,
 * ConvertedAccountId, ConvertedContactId, ConvertedDate (a date) and the converted Status, and stays
 * queryable but read-only. No Opportunity is created (as with doNotCreateOpportunity = true).
 */

const MAPPED = ['FirstName', 'LastName', 'Email', 'Title'];

function fail(code: string, message: string): never {
  throw new Error(`convertLead: ${code}: ${message}`);
}

function liveRecord(table: ObjectTable, id: string, what: string): SRecord {
  const key = /^[a-zA-Z0-9]{15,18}$/.test(id) ? to18(id) : id;
  const rec = table.byId.get(key);
  if (rec) return rec;
  if (table.deleted.has(key)) fail('ENTITY_IS_DELETED', `${what} ${id} is in the recycle bin`);
  return fail('INVALID_CROSS_REFERENCE_KEY', `no ${what} with id ${id}`);
}

export function convertLead(
  org: EmulatedOrg,
  user: OrgUser,
  leadId: string,
  opts: { contactId?: string; accountId?: string } = {},
): { contactId: string; accountId: string } {
  const [leadObj, accountObj, contactObj] = ['Lead', 'Account', 'Contact'].map((n) => org.object(n));
  if (!leadObj || !accountObj || !contactObj)
    throw new Error('convertLead: the emulated org has no Lead, Account or Contact');
  const leads = org.store.table(leadObj);
  const lead = liveRecord(leads, leadId, 'Lead');
  if (isConvertedLead(leadObj, lead)) fail(convertedLeadError().code, `Lead ${leadId} is already converted`);
  if (opts.contactId && !opts.accountId)
    fail('REQUIRED_FIELD_MISSING', 'a contactId needs the accountId of that Contact (LeadConvert.setAccountId)');
  const dml = new Dml(org, user);
  const created = (res: ReturnType<Dml['insert']>, what: string): string =>
    res.ok ? res.id : fail(res.error.code, `creating the ${what}: ${res.error.message}`);

  const accountId = opts.accountId
    ? (liveRecord(org.store.table(accountObj), opts.accountId, 'Account').Id as string)
    : created(dml.insert(accountObj, { Name: lead.Company }), 'Account');

  let contactId: string;
  if (opts.contactId) {
    const contacts = org.store.table(contactObj);
    const contact = liveRecord(contacts, opts.contactId, 'Contact');
    if (contact.AccountId !== accountId)
      fail('INVALID_CROSS_REFERENCE_KEY', `Contact ${opts.contactId} does not belong to Account ${accountId}`);
    const fill: SRecord = {};
    for (const f of MAPPED) if ((contact[f] ?? '') === '' && (lead[f] ?? '') !== '') fill[f] = lead[f];
    if (Object.keys(fill).length) {
      contacts.update(contact, { ...fill, ...dml.stamps() });
      contact.Name = [contact.FirstName, contact.LastName].filter((v) => typeof v === 'string' && v !== '').join(' ');
    }
    contactId = contact.Id as string;
  } else {
    const values: SRecord = { AccountId: accountId };
    for (const f of MAPPED) if (lead[f] !== null && lead[f] !== undefined) values[f] = lead[f];
    contactId = created(dml.insert(contactObj, values), 'Contact');
  }
  leads.update(lead, {
    IsConverted: true,
    ConvertedAccountId: accountId,
    ConvertedContactId: contactId,
    ConvertedOpportunityId: null,
    ConvertedDate: dml.now.slice(0, 10),
    Status: CONVERTED_LEAD_STATUS,
    ...dml.stamps(),
  });
  return { contactId, accountId };
}
