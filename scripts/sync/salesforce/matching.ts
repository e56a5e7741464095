import { MemberFields, SObjects } from '../../generated/sobjects';
import type { MatchRule } from '../config';
import { UsageError } from '../errors';
import { SalesforceApiError } from './errors';
import { bulkQuery } from './bulk-query';
import type { SalesforceHttp } from './http';
import { assertApiName, chunkForIn, queryAll, soqlString } from './query';

/**
 * Matching cannot run: the integration user cannot read Contact or Lead, or a match rule's field. The
 * members' own data is still pushed; their links wait for the first run after the fix.
 */
export class MatchingUnavailableError extends SalesforceApiError {
  constructor(
    readonly sobject: 'Contact' | 'Lead',
    readonly field: string | null,
    detail: string,
    cause?: unknown,
  ) {
    super(
      cause instanceof SalesforceApiError ? cause.status : 400,
      'MATCHING_UNAVAILABLE',
      field
        ? `Members cannot be matched on ${sobject}.${field}: ${detail}`
        : `Members cannot be matched to ${sobject === 'Contact' ? 'Contacts' : 'Leads'}: the integration user cannot read ${sobject} (${detail}).`,
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

/**
 * The gist of a query error: Salesforce repeats the query and points at the column over several lines,
 * then says what is wrong and how custom names end; the first sentence of the last line is the point.
 */
function gist(message: string): string {
  const last = message.trim().split('\n').pop() ?? message;
  const sentence = /^(.*?\.)\s/.exec(last);
  return (sentence ? sentence[1] : last).trim();
}

/**
 * What a real org answers when a query names something the user cannot see: 400 INVALID_TYPE for an
 * object, 400 INVALID_FIELD ("No such column") for a field, 403/404 for the describe of a hidden object.
 */
export function unavailable(sobject: 'Contact' | 'Lead', field: string | null, err: unknown): MatchingUnavailableError {
  if (err instanceof MatchingUnavailableError) return err;
  if (!(err instanceof SalesforceApiError) || ![400, 403, 404].includes(err.status)) throw err;
  // A 400 that is not about access (a malformed query, an expired locator) is a fault, not missing access.
  const accessCodes = ['INVALID_TYPE', 'INVALID_FIELD', 'NOT_FOUND'];
  if (err.status === 400 && !accessCodes.includes(err.code) && !err.code.startsWith('INSUFFICIENT_ACCESS')) throw err;
  const column = field ?? /No such column '([^']+)'/.exec(err.message)?.[1] ?? null;
  if (err.code === 'INVALID_FIELD' && column) {
    return new MatchingUnavailableError(
      sobject,
      column,
      `the field does not exist or the integration user has no field-level access to it (${gist(err.message)})`,
      err,
    );
  }
  return new MatchingUnavailableError(sobject, null, gist(err.message), err);
}

/** Describes of Contact and Lead, fetched once per run. */
export class PersonDescribes {
  private readonly cache = new Map<string, Promise<DescribeField[]>>();

  constructor(private readonly http: SalesforceHttp) {}

  fields(sobject: 'Contact' | 'Lead'): Promise<DescribeField[]> {
    let p = this.cache.get(sobject);
    if (!p) {
      p = this.http
        .json<{ fields: DescribeField[] }>('GET', `/sobjects/${sobject}/describe`)
        .then((d) => d.fields)
        .catch((err: unknown) => {
          throw unavailable(sobject, null, err);
        });
      this.cache.set(sobject, p);
    }
    return p;
  }
}

/**
 * Checks that a match rule names an e-mail or text field of Contact or Lead that the integration user
 * can read and filter on, and returns its exact API name. The object or field being unreadable is
 * MATCHING_UNAVAILABLE (the admin can grant it); a field of the wrong kind is a configuration error.
 */
export async function validateRuleField(
  describes: PersonDescribes,
  rule: Pick<MatchRule, 'object' | 'field' | 'label'>,
): Promise<string> {
  assertApiName(rule.field);
  const fields = await describes.fields(rule.object);
  const found = fields.find((f) => f.name.toLowerCase() === rule.field.toLowerCase());
  if (!found) {
    throw new MatchingUnavailableError(
      rule.object,
      rule.field,
      'the field does not exist or the integration user has no field-level access to it',
    );
  }
  if (!['email', 'string'].includes(found.type) || found.filterable === false) {
    throw new UsageError(
      'INVALID_MATCHING_FIELD',
      `The match rule ${rule.label} names a ${found.type} field; only e-mail and text fields can be matched.`,
      {
        actions: [
          'Pick e-mail or text fields: `tightknit-sync configure --match-rule Contact.Email --match-rule Lead.Email` (or e.g. Contact.Work_Email__c).',
        ],
      },
    );
  }
  return found.name;
}

/**
 * Tightknit ids of members whose Contact link a person locked (Contact_Link_Locked__c = true); with `ids`,
 * only among those members (a few changed links need no list of every locked member).
 */
export async function findLockedMembers(http: SalesforceHttp, ids?: readonly string[]): Promise<Set<string>> {
  const base = `SELECT ${MemberFields.Tightknit_Id} FROM ${SObjects.Member} WHERE ${MemberFields.Contact_Link_Locked} = true`;
  const queries =
    ids === undefined
      ? [base]
      : chunkForIn(ids).map((c) => `${base} AND ${MemberFields.Tightknit_Id} IN (${c.map(soqlString).join(',')})`);
  const locked = new Set<string>();
  for (const soql of queries) {
    for (const r of await queryAll<Record<string, unknown>>(http, soql))
      locked.add(String(r[MemberFields.Tightknit_Id]));
  }
  return locked;
}

/**
 * Looks people up by a text field, case-insensitively: SOQL's `IN` compares text without regard to case,
 * and the answer is grouped by the lower-cased value. Many values use one Bulk query job over every person
 * with a value, filtered here; few use chunked SOQL. Hits per value are ordered most recently modified first.
 * Converted Leads are never matched (their person lives on as a Contact).
 */
export async function findPeople(
  http: SalesforceHttp,
  sobject: 'Contact' | 'Lead',
  field: string,
  values: readonly string[],
  bulkThreshold = BULK_MATCH_THRESHOLD,
): Promise<Map<string, PersonHit[]>> {
  assertApiName(field);
  const extraWhere = sobject === 'Lead' ? ' AND IsConverted = false' : '';
  const unique = [...new Set(values.map((v) => v.toLowerCase()))];
  const hits = new Map<string, PersonHit[]>();
  const add = (value: unknown, id: unknown, lastModified: unknown): void => {
    const key = typeof value === 'string' ? value.toLowerCase() : '';
    if (!key) return;
    const list = hits.get(key) ?? [];
    list.push({ id: String(id), lastModified: typeof lastModified === 'string' ? lastModified : '' });
    hits.set(key, list);
  };
  if (unique.length >= bulkThreshold) {
    const wanted = new Set(unique);
    try {
      await bulkQuery(
        http,
        `SELECT Id, ${field}, LastModifiedDate FROM ${sobject} WHERE ${field} != null${extraWhere}`,
        (r) => {
          if (wanted.has((r[field] ?? '').toLowerCase())) add(r[field], r.Id, r.LastModifiedDate);
        },
      );
      sortHits(hits);
      return hits;
    } catch (err) {
      if (err instanceof SalesforceApiError && [400, 403, 404].includes(err.status))
        throw unavailable(sobject, field, err);
      hits.clear(); // any other trouble with the query job: fall back to chunked queries
    }
  }
  for (const chunk of chunkForIn(unique)) {
    const soql = `SELECT Id, ${field}, LastModifiedDate FROM ${sobject} WHERE ${field} IN (${chunk.map(soqlString).join(',')})${extraWhere} ORDER BY LastModifiedDate DESC`;
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await queryAll(http, soql);
    } catch (err) {
      throw unavailable(sobject, field, err);
    }
    for (const r of rows) add(r[field], r.Id, r.LastModifiedDate);
  }
  sortHits(hits);
  return hits;
}

/** Most recently modified first (ISO timestamps compare as text). */
function sortHits(hits: Map<string, PersonHit[]>): void {
  for (const list of hits.values())
    list.sort((a, b) => (a.lastModified < b.lastModified ? 1 : a.lastModified > b.lastModified ? -1 : 0));
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
