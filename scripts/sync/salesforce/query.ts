import type { SalesforceHttp } from './http';

/**
 * A SOQL string literal. Every character SOQL treats specially inside quotes is escaped, so a value can
 * never end the literal early (no SOQL injection through an e-mail address).
 */
export function soqlString(value: string): string {
  const escaped = value.replace(/[\\'"\n\r\t\b\f]/g, (ch) => {
    switch (ch) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return `\\${ch}`;
    }
  });
  return `'${escaped}'`;
}

/** An API name as it may appear in SOQL: letters, digits, underscores (namespaces included). */
export function assertApiName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(name)) throw new Error(`Not an API name: ${name}`);
  return name;
}

interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/** Runs a SOQL query through REST and pages through every result (queryMore). */
export async function queryAll<T extends Record<string, unknown>>(http: SalesforceHttp, soql: string): Promise<T[]> {
  const out: T[] = [];
  let page = await http.json<QueryPage<T>>('GET', `/query?q=${encodeURIComponent(soql)}`);
  for (;;) {
    for (const r of page.records) out.push(r);
    if (page.done || !page.nextRecordsUrl) return out;
    page = await http.json<QueryPage<T>>('GET', page.nextRecordsUrl);
  }
}

/**
 * Splits values into IN-lists whose URL-encoded size stays under `budget` characters, so each query's
 * URI stays well below Salesforce's 16,384-character limit.
 */
export function chunkForIn(values: readonly string[], budget = 9_000, maxValues = 500): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const v of values) {
    const cost = encodeURIComponent(soqlString(v)).length + 3;
    if (current.length > 0 && (size + cost > budget || current.length >= maxValues)) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(v);
    size += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
