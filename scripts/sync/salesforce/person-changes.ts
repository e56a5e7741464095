import type { SalesforceHttp } from './http';
import { unavailable } from './matching';
import { assertApiName } from './query';

/** A Contact or Lead that changed (or was deleted, merged or converted) since a point in time. */
export interface PersonChange {
  id: string;
  deleted: boolean;
  /** The surviving record of a merge (set on the deleted duplicates). */
  masterId: string | null;
  /** The Contact a converted Lead became. */
  convertedContactId: string | null;
  lastModified: string;
  /** SystemModstamp as an ISO time (UTC, "Z"). */
  stamp: string;
  /** Lower-cased value of each requested field, keyed by the lower-cased field name (null when empty). */
  values: Record<string, string | null>;
}

interface Page {
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown>>;
}

/** Salesforce writes `2026-11-20T12:00:00.000+0000`; ISO with "Z" compares as text. */
function isoStamp(value: unknown): string {
  const t = typeof value === 'string' ? Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN;
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}

/** A SOQL datetime literal (whole seconds, UTC). */
function soqlDateTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19)}Z`;
}

/**
 * Streams every Contact or Lead whose SystemModstamp is at or after `since`, deleted ones included
 * (`queryAll`: the recycle bin keeps them with IsDeleted and, after a merge, MasterRecordId), page by
 * page in SystemModstamp order. Unreadable objects or fields throw MATCHING_UNAVAILABLE. Returns the
 * org's clock when it answered (its `Date` header), for the next watermark.
 */
export async function forEachPersonChange(
  http: SalesforceHttp,
  sobject: 'Contact' | 'Lead',
  fields: readonly string[],
  since: string,
  onChange: (change: PersonChange) => void | Promise<void>,
): Promise<{ orgTime: string | null }> {
  const wanted = [...new Set(fields.map(assertApiName))];
  const extra = sobject === 'Lead' ? ['IsConverted', 'ConvertedContactId'] : [];
  const select = ['Id', 'IsDeleted', 'MasterRecordId', 'LastModifiedDate', 'SystemModstamp', ...extra, ...wanted];
  const soql = `SELECT ${[...new Set(select)].join(', ')} FROM ${sobject} WHERE SystemModstamp >= ${soqlDateTime(since)} ORDER BY SystemModstamp`;
  let orgTime: string | null = null;
  const fetchPage = async (path: string): Promise<Page> => {
    try {
      return await http.json<Page>('GET', path, {
        onHeaders: (h) => {
          const t = typeof h.date === 'string' ? Date.parse(h.date) : NaN;
          if (orgTime === null && !Number.isNaN(t)) orgTime = new Date(t).toISOString();
        },
      });
    } catch (err) {
      throw unavailable(sobject, wanted.length === 1 ? wanted[0] : null, err);
    }
  };
  let page = await fetchPage(`/queryAll?q=${encodeURIComponent(soql)}`);
  for (;;) {
    for (const r of page.records) {
      const values: Record<string, string | null> = {};
      for (const f of wanted) {
        // Salesforce answers with the field's own spelling, whatever the case in the query.
        const key = Object.keys(r).find((k) => k.toLowerCase() === f.toLowerCase());
        const v = key ? r[key] : null;
        values[f.toLowerCase()] = typeof v === 'string' && v !== '' ? v.toLowerCase() : null;
      }
      await onChange({
        id: String(r.Id),
        deleted: r.IsDeleted === true,
        masterId: typeof r.MasterRecordId === 'string' ? r.MasterRecordId : null,
        convertedContactId:
          r.IsConverted === true && typeof r.ConvertedContactId === 'string' ? r.ConvertedContactId : null,
        lastModified: isoStamp(r.LastModifiedDate),
        stamp: isoStamp(r.SystemModstamp),
        values,
      });
    }
    if (page.done || !page.nextRecordsUrl) return { orgTime };
    page = await fetchPage(page.nextRecordsUrl);
  }
}

/** The newest SystemModstamp of an object, deleted records included; null for an empty object. */
export async function latestStamp(http: SalesforceHttp, sobject: 'Contact' | 'Lead'): Promise<string | null> {
  const soql = `SELECT SystemModstamp FROM ${sobject} ORDER BY SystemModstamp DESC LIMIT 1`;
  let page: Page;
  try {
    page = await http.json<Page>('GET', `/queryAll?q=${encodeURIComponent(soql)}`);
  } catch (err) {
    throw unavailable(sobject, null, err);
  }
  const stamp = isoStamp(page.records[0]?.SystemModstamp);
  return stamp || null;
}
