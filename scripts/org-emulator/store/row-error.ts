/**
 * A record-level error as Salesforce reports it: `statusCode`/`errorCode`, `message`, `fields`
 * (REST "Status Codes and Error Responses"; Bulk API 2.0 failedResults put it in `sf__Error` as
 * `CODE:message:fields`, with `--` when no field is involved).
 */
export interface RowError {
  code: string;
  message: string;
  fields: string[];
}

/** Builds a row error. */
export function rowError(code: string, message: string, fields: string[] = []): RowError {
  return { code, message, fields };
}

/** The `sf__Error` text of a Bulk API 2.0 failed result. */
export function formatSfError(e: RowError): string {
  return `${e.code}:${e.message}:${e.fields.length ? e.fields.join(',') : '--'}`;
}
