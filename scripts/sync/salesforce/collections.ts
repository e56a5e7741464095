import type { SalesforceHttp } from './http';

/** One record's outcome in an sObject Collections call, in request order. */
export interface CollectionResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors?: Array<{ statusCode: string; message: string; fields?: string[] }>;
}

export const COLLECTIONS_MAX = 200;

/** `CODE:message:fields`, the same shape as Bulk API's sf__Error, so both paths group alike. */
export function collectionError(r: CollectionResult | undefined): string {
  const e = r?.errors?.[0];
  if (!e) return 'UNKNOWN_ERROR:no result for this record:--';
  return `${e.statusCode}:${e.message}:${(e.fields ?? []).join(',') || '--'}`;
}

/** Upserts ≤ 200 records on an external id in one call (allOrNone false). Safe to repeat: it is an upsert. */
export function upsertCollection(
  http: SalesforceHttp,
  sobject: string,
  externalIdField: string,
  records: Array<Record<string, unknown>>,
): Promise<CollectionResult[]> {
  return http.json<CollectionResult[]>('PATCH', `/composite/sobjects/${sobject}/${externalIdField}`, {
    body: { json: { allOrNone: false, records } },
  });
}

/** Deletes ≤ 200 records by Salesforce id in one call (allOrNone false). */
export function deleteCollection(http: SalesforceHttp, ids: readonly string[]): Promise<CollectionResult[]> {
  return http.json<CollectionResult[]>(
    'DELETE',
    `/composite/sobjects?allOrNone=false&ids=${ids.map(encodeURIComponent).join(',')}`,
  );
}
