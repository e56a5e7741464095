/**
 * The baseline side of the push benchmark, run in its own process so that its peak RSS is its own:
 * the store's records as arrays through jsforce's bulk2.loadAndWaitForResults. (The sync side is the
 * product's launcher, bin/tightknit-sync.js, started by push.ts.)
 * Prints one JSON line with wall time, peak RSS and counts.
 */
import http from 'node:http';
import { Connection } from '@jsforce/jsforce-node';
import {
  activitySpec,
  type AsyncStore,
  buildCells,
  communitySpec,
  headers,
  memberSpec,
  type ObjectSpec,
  openAsyncStore,
  type StoredRow,
} from '../sync';

interface ChildArgs {
  storeFile: string;
  instanceUrl: string;
  accessToken: string;
}

async function all<T>(page: (after: number, n: number) => Promise<Array<StoredRow<T>>>): Promise<T[]> {
  const out: T[] = [];
  let after = 0;
  for (;;) {
    const rows = await page(after, 10_000);
    if (rows.length === 0) return out;
    for (const r of rows) if (!r.deleted) out.push(r.row);
    after = rows[rows.length - 1].seq;
  }
}

/**
 * The records a careful jsforce user would build: one object per row, every key present (jsforce takes
 * the CSV columns from the first record only), relationship columns as dotted keys.
 */
function records<T>(spec: ObjectSpec<T>, rows: T[]): Array<Record<string, unknown>> {
  const head = headers(spec);
  const now = new Date().toISOString();
  return rows.map((r) => {
    const cells = buildCells(spec, r, { inOrg: false, now }).cells;
    const rec: Record<string, unknown> = {};
    head.forEach((h, i) => {
      rec[h] = cells[i] ?? null;
    });
    return rec;
  });
}

async function baseline(store: AsyncStore, conn: Connection): Promise<Record<string, unknown>> {
  // jsforce (node-fetch) does not repeat a POST whose kept-alive socket the server closed while the
  // baseline was busy building arrays (EPIPE); fresh sockets keep the comparison about the push itself.
  http.globalAgent = new http.Agent({ keepAlive: false });
  conn.bulk2.pollInterval = 1000;
  conn.bulk2.pollTimeout = 60 * 60_000;
  let ok = 0;
  let failed = 0;
  const load = async (object: string, input: Array<Record<string, unknown>>): Promise<void> => {
    // One upload per job and ≤ 100 MB each: split the array like a careful user would.
    for (let i = 0; i < input.length; i += 250_000) {
      const res = await conn.bulk2.loadAndWaitForResults({
        object,
        operation: 'upsert',
        externalIdFieldName: 'tightknit__Tightknit_Id__c',
        input: input.slice(i, i + 250_000),
        pollInterval: 1000,
        pollTimeout: 60 * 60_000,
      });
      ok += res.successfulResults.length;
      failed += res.failedResults.length;
    }
  };
  await load(communitySpec().sobject, records(communitySpec(), await all((a, n) => store.changedCommunities(a, n))));
  await load(memberSpec().sobject, records(memberSpec(), await all((a, n) => store.changedMembers(a, n))));
  const spec = activitySpec(false);
  await load(spec.sobject, records(spec, await all((a, n) => store.changedActivities(a, n))));
  return { succeeded: ok, failed };
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as ChildArgs;
  const store = openAsyncStore({ file: args.storeFile });
  const conn = new Connection({ instanceUrl: args.instanceUrl, accessToken: args.accessToken, version: '65.0' });
  const started = Date.now();
  const result = await baseline(store, conn);
  const wallMs = Date.now() - started;
  await store.close();
  // maxRSS is in kilobytes on Linux.
  process.stdout.write(
    `${JSON.stringify({ mode: 'baseline', wallMs, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ...result })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
