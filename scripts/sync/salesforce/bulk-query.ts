import { parse } from 'csv-parse';
import { nextPollDelay, type JobInfo } from './bulk';
import { sleep, type SalesforceHttp } from './http';

/**
 * Runs a Bulk API 2.0 query job and streams its result pages (maxRecords + Sforce-Locator) through
 * csv-parse, handing each record to `onRow`. A handful of calls whatever the number of rows, so it
 * replaces hundreds of chunked SOQL queries when many values must be looked up.
 */
export async function bulkQuery(
  http: SalesforceHttp,
  soql: string,
  onRow: (row: Record<string, string>) => void,
  poll: { initialMs: number; maxMs: number } = { initialMs: 500, maxMs: 10_000 },
): Promise<number> {
  const job = await http.json<JobInfo>('POST', '/jobs/query', {
    body: { json: { operation: 'query', query: soql, contentType: 'CSV', columnDelimiter: 'COMMA', lineEnding: 'LF' } },
  });
  let delay = poll.initialMs;
  for (;;) {
    await sleep(delay);
    const info = await http.json<JobInfo>('GET', `/jobs/query/${job.id}`);
    if (info.state === 'JobComplete') break;
    if (info.state === 'Failed' || info.state === 'Aborted') {
      throw new Error(`Query job ${job.id} ended ${info.state}: ${info.errorMessage ?? ''}`);
    }
    delay = nextPollDelay(delay, poll.maxMs);
  }
  let rows = 0;
  let locator: string | undefined;
  for (;;) {
    const query = `maxRecords=50000${locator ? `&locator=${encodeURIComponent(locator)}` : ''}`;
    const res = await http.send('GET', `/jobs/query/${job.id}/results?${query}`, { accept: 'text/csv' });
    const next = res.headers['sforce-locator'];
    const parser = res.pipe(parse({ columns: true, bom: true, skip_empty_lines: true }));
    res.on('error', (err) => parser.destroy(err));
    for await (const row of parser) {
      onRow(row as Record<string, string>);
      rows++;
    }
    locator = typeof next === 'string' && next !== 'null' && next !== '' ? next : undefined;
    if (!locator) return rows;
  }
}
