/**
 * Store-side push benchmark: the same core push (a backfill of `bench:push`'s data: N members, M
 * activities) into an in-process org emulator, once from the embedded SQLite store and once from a
 * PostgreSQL tenant (PgStore), each timed; `--bulk-lock` wraps each Bulk job in the server's per-org
 * lock as a worker's pass does. Seeding is not timed. The tenant is deleted at the end.
 *
 *   npx tsx scripts/bench/pg-push.ts --members 1000 --activities 20000 [--bulk-lock] [--only pg|sqlite]
 *       [--database postgres://…]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPool } from '../server/db/connect';
import { migrate } from '../server/db/migrate';
import { DATABASE_ENV } from '../server/names';
import { PgStore } from '../server/store';
import { withBulkLock } from '../server/budget/bulk-lock';
import { startEmulator, type RunningEmulator } from '../org-emulator';
import { type AsyncStore, openAsyncStore, parseConfig, runSync } from '../sync';
import { arg } from './args';
import { writeBenchCommunity } from './seed';

const NOW = new Date();

/** The push's per-Bulk-job hook (`RunSyncOptions.bulkJob`). */
type BulkJobHook = NonNullable<Parameters<typeof runSync>[0]['bulkJob']>;

/** A session on the emulator's integration user (the sync's own client is made over it). */
function connection(emu: RunningEmulator): Parameters<typeof runSync>[0]['connection'] {
  return { instanceUrl: emu.instanceUrl, accessToken: emu.issueTokens('integration').accessToken, version: '65.0' };
}

/** Seeds `store`, then times one backfill of it into a fresh emulator; prints one line. */
async function measure(label: string, store: AsyncStore, bulkJob?: BulkJobHook): Promise<void> {
  const members = arg('members', 1_000);
  const activities = arg('activities', 20_000);
  let t = performance.now();
  await writeBenchCommunity(await store.beginWrite(), { members, activities, now: NOW });
  const seeded = (performance.now() - t) / 1000;
  const emu = await startEmulator();
  try {
    t = performance.now();
    const summary = await runSync({
      store,
      connection: connection(emu),
      config: parseConfig({}, 'defaults'),
      type: 'backfill',
      now: NOW,
      bulkJob,
    });
    const push = (performance.now() - t) / 1000;
    const a = summary.objects.activity;
    console.log(
      `${label}: push ${push.toFixed(1)} s (seed ${seeded.toFixed(1)} s), ${summary.status}, ` +
        `activities ${a.succeeded}/${a.failed}, API calls ${summary.apiCalls}`,
    );
  } finally {
    await emu.close();
  }
}

/** With `--queries`: every query's count and total time, by its text, printed at the end (top 15). */
function countQueries(): () => void {
  const stats = new Map<string, { n: number; ms: number }>();
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...a: unknown[]) {
    const first = a[0] as string | { text?: string } | undefined;
    const text = (typeof first === 'string' ? first : (first?.text ?? '(stream)')).replace(/\s+/g, ' ').slice(0, 110);
    const started = performance.now();
    const out = original.apply(this, a);
    const add = (): void => {
      const s = stats.get(text) ?? { n: 0, ms: 0 };
      s.n += 1;
      s.ms += performance.now() - started;
      stats.set(text, s);
    };
    if (out instanceof Promise) out.then(add, add);
    else add();
    return out;
  };
  return () => {
    const top = [...stats].sort((x, y) => y[1].ms - x[1].ms).slice(0, 15);
    for (const [text, s] of top)
      console.log(`${String(s.n).padStart(7)} ${(s.ms / 1000).toFixed(2).padStart(7)} s  ${text}`);
  };
}

async function main(): Promise<void> {
  const report = process.argv.includes('--queries') ? countQueries() : undefined;
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (only !== 'pg') {
    const dir = mkdtempSync(join(tmpdir(), 'tk-pg-push-'));
    const store = openAsyncStore({ stateDir: dir });
    try {
      await measure('sqlite', store);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only === 'sqlite') return;
  const i = process.argv.indexOf('--database');
  const url = i > 0 ? process.argv[i + 1] : process.env[DATABASE_ENV];
  if (!url) throw new Error(`Give --database <url> or set ${DATABASE_ENV}.`);
  const pool = await openPool(url);
  try {
    await migrate(pool);
    const name = `bench-push-${process.pid}`;
    const { rows } = await pool.query<{ id: string }>('INSERT INTO tenants (name) VALUES ($1) RETURNING id', [name]);
    const tenantId = Number(rows[0].id);
    try {
      const lock = process.argv.includes('--bulk-lock');
      const bulkJob: BulkJobHook | undefined = lock
        ? (object, run) => withBulkLock(pool, { org: `bench-${process.pid}`, object }, () => run())
        : undefined;
      await measure(lock ? 'postgres, Bulk lock' : 'postgres', PgStore.open(pool, tenantId, `tenant ${name}`), bulkJob);
      report?.();
    } finally {
      await pool.query('DELETE FROM tenants WHERE id = $1', [tenantId]);
    }
  } finally {
    await pool.end();
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).stack ?? err);
  process.exitCode = 1;
});
