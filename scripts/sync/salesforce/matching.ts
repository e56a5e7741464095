import { MemberFields, SObjects } from '../../generated/sobjects';
import { UsageError } from '../errors';
import { SalesforceApiError } from './errors';
import { bulkQuery } from './bulk-query';
import type { SalesforceHttp } from './http';
import { assertApiName, chunkForIn, queryAll, soqlString } from './query';

/** Contact or Lead can't be read by the integration user: matching is skipped, with a hint. */
export class ObjectNotReadableError extends SalesforceApiError {
  constructor(
    readonly sobject: 'Contact' | 'Lead',
    cause: SalesforceApiError,
  ) {
    super(
      cause.status,
      sobject === 'Contact' ? 'CONTACT_READ_MISSING' : 'LEAD_READ_MISSING',
      `The integration user cannot read ${sobject}: ${cause.message}`,
      cause,
    );
  }
}

interface DescribeField {
  name: string;
  type: string;
  filterable?: boolean;
}

/** From this many distinct values on, people are looked up with one Bulk query job instead of chunked SOQL. */
export const BULK_MATCH_THRESHOLD = 2_000;

/** A person record found for a matching value, most recently modified first. */
export interface PersonHit {
  id: string;
  lastModified: string;
}

function notReadable(sobject: 'Contact' | 'Lead', err: unknown): never {
  if (err instanceof SalesforceApiError && [400, 403, 404].includes(err.status))
    throw new ObjectNotReadableError(sobject, err);
  throw err;
}

/**
 * Checks that the configured matching field is a Contact e-mail or text field the integration user can
 * filter on, and returns its exact API name. A wrong name stops the run before anything is pushed.
 */
export async function validateMatchingField(
  http: SalesforceHttp,
  field: string,
): Promise<{ name: string; type: string }> {
  assertApiName(field);
  let describe: { fields: DescribeField[] };
  try {
    describe = await http.json<{ fields: DescribeField[] }>('GET', '/sobjects/Contact/describe');
  } catch (err) {
    notReadable('Contact', err);
  }
  const found = describe.fields.find((f) => f.name.toLowerCase() === field.toLowerCase());
  const allowed = ['email', 'string'];
  if (!found || !allowed.includes(found.type) || found.filterable === false) {
    const why = !found
      ? 'does not exist on Contact or the integration user has no field-level access to it'
      : `is a ${found.type} field; only e-mail and text fields can be matched`;
    throw new UsageError('INVALID_MATCHING_FIELD', `The matching field ${field} ${why}.`, {
      actions: [
        'Pick a Contact e-mail or text field: `tightknit-sync configure --matching-field Email` (or e.g. Work_Email__c).',
      ],
    });
  }
  return { name: found.name, type: found.type };
}

/** Tightknit ids of members whose Contact link a person locked (Contact_Link_Locked__c = true). */
export async function findLockedMembers(http: SalesforceHttp): Promise<Set<string>> {
  const rows = await queryAll<Record<string, unknown>>(
    http,
    `SELECT ${MemberFields.Tightknit_Id} FROM ${SObjects.Member} WHERE ${MemberFields.Contact_Link_Locked} = true`,
  );
  return new Set(rows.map((r) => String(r[MemberFields.Tightknit_Id])));
}

/**
 * Looks people up by a text field in chunks, case-insensitively: SOQL's `IN` compares text without
 * regard to case, and the answer is grouped by the lower-cased value. Hits per value are ordered most
 * recently modified first.
 */
async function findPeople(
  http: SalesforceHttp,
  sobject: 'Contact' | 'Lead',
  field: string,
  values: readonly string[],
  extraWhere = '',
  bulkThreshold = BULK_MATCH_THRESHOLD,
): Promise<Map<string, PersonHit[]>> {
  assertApiName(field);
  const unique = [...new Set(values.map((v) => v.toLowerCase()))];
  const hits = new Map<string, PersonHit[]>();
  if (unique.length >= bulkThreshold) {
    const wanted = new Set(unique);
    try {
      // Many values: one query job over every person with a value, filtered here, instead of hundreds of queries.
      await bulkQuery(
        http,
        `SELECT Id, ${field}, LastModifiedDate FROM ${sobject} WHERE ${field} != null${extraWhere}`,
        (r) => {
          const key = (r[field] ?? '').toLowerCase();
          if (!wanted.has(key)) return;
          const list = hits.get(key) ?? [];
          list.push({ id: r.Id, lastModified: r.LastModifiedDate ?? '' });
          hits.set(key, list);
        },
      );
      sortHits(hits);
      return hits;
    } catch (err) {
      if (err instanceof SalesforceApiError && [400, 403, 404].includes(err.status)) notReadable(sobject, err);
      hits.clear(); // any other trouble with the query job: fall back to chunked queries
    }
  }
  for (const chunk of chunkForIn(unique)) {
    const soql = `SELECT Id, ${field}, LastModifiedDate FROM ${sobject} WHERE ${field} IN (${chunk.map(soqlString).join(',')})${extraWhere} ORDER BY LastModifiedDate DESC`;
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await queryAll(http, soql);
    } catch (err) {
      notReadable(sobject, err);
    }
    for (const r of rows) {
      const value = r[field];
      const key = typeof value === 'string' ? value.toLowerCase() : '';
      if (!key) continue;
      const list = hits.get(key) ?? [];
      list.push({ id: String(r.Id), lastModified: typeof r.LastModifiedDate === 'string' ? r.LastModifiedDate : '' });
      hits.set(key, list);
    }
  }
  sortHits(hits);
  return hits;
}

/** Most recently modified first (ISO timestamps compare as text). */
function sortHits(hits: Map<string, PersonHit[]>): void {
  for (const list of hits.values())
    list.sort((a, b) => (a.lastModified < b.lastModified ? 1 : a.lastModified > b.lastModified ? -1 : 0));
}

export function findContacts(
  http: SalesforceHttp,
  field: string,
  values: readonly string[],
  bulkThreshold = BULK_MATCH_THRESHOLD,
): Promise<Map<string, PersonHit[]>> {
  return findPeople(http, 'Contact', field, values, '', bulkThreshold);
}

export function findLeads(
  http: SalesforceHttp,
  values: readonly string[],
  bulkThreshold = BULK_MATCH_THRESHOLD,
): Promise<Map<string, PersonHit[]>> {
  return findPeople(http, 'Lead', 'Email', values, ' AND IsConverted = false', bulkThreshold);
}

/** A Contact the sync is about to create for a member. */
export interface ContactDraft {
  key: string;
  fields: Record<string, string | null>;
}

export type CreateOutcome = { key: string; id: string } | { key: string; error: string };

/**
 * Creates Contacts with sObject Collections (200 per call, allOrNone false). The call is never
 * repeated blindly: if an answer is lost, the caller looks the e-mails up again before creating.
 */
export async function createContacts(http: SalesforceHttp, drafts: readonly ContactDraft[]): Promise<CreateOutcome[]> {
  const out: CreateOutcome[] = [];
  for (let i = 0; i < drafts.length; i += 200) {
    const batch = drafts.slice(i, i + 200);
    const results = await http.json<
      Array<{
        id?: string;
        success: boolean;
        errors?: Array<{ statusCode: string; message: string; fields?: string[] }>;
      }>
    >('POST', '/composite/sobjects', {
      retry: false,
      body: {
        json: { allOrNone: false, records: batch.map((d) => ({ attributes: { type: 'Contact' }, ...d.fields })) },
      },
    });
    batch.forEach((d, j) => {
      const r = results[j];
      if (r?.success && r.id) out.push({ key: d.key, id: r.id });
      else {
        const e = r?.errors?.[0];
        out.push({
          key: d.key,
          error: e ? `${e.statusCode}:${e.message}:${(e.fields ?? []).join(',') || '--'}` : 'UNKNOWN_ERROR:no result',
        });
      }
    });
  }
  return out;
}
