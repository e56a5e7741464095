/**
 * Store-side push benchmark: the same core push (a backfill of `bench:push`'s data: N members, M
 * activities) into an in-process org emulator, once from the embedded SQLite store and once from a
 * PostgreSQL tenant (PgStore), each timed; `--bulk-lock` wraps each Bulk job in the server's per-org
 * lock as a worker's pass does. Seeding is not timed. The PostgreSQL side runs in a fresh database on
 * --database's server, dropped at the end.
 *
 *   npx tsx scripts/bench/pg-push.ts --members 1000 --activities 20000 [--bulk-lock] [--only pg|sqlite]
 *       [--emulator-process] [--queries] [--job-rows N] [--job-times] [--database postgres://…]
 *
 * `--emulator-process` runs the emulator in its own process (as a fleet does), so the push's process and
 * `--queries`'s per-query times are the store's own, not shared with the emulator's CSV work.
 * `--job-rows N` cuts the Bulk files at N rows (PushTuning.maxJobRows) instead of the push's default.
 * `--job-times` prints where each Bulk job's time went (job-times.ts), from the ledger and the org.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPool } from '../server/db/connect';
import { migrate } from '../server/db/migrate';
import { DATABASE_ENV } from '../server/names';
import { PgStore } from '../server/store';
import { withBulkLock } from '../server/budget/bulk-lock';
import { startEmulator } from '../org-emulator';
import { startEmulatorProcess } from '../fleet/orgs';
import { createFleetDatabase } from '../fleet/postgres';
import { type AsyncStore, openAsyncStore, parseConfig, runSync } from '../sync';
import { arg } from './args';
import { printJobTimes } from './job-times';
import { writeBenchCommunity } from './seed';

const NOW = new Date();

/** The push's per-Bulk-job hook (`RunSyncOptions.bulkJob`). */
type BulkJobHook = NonNullable<Parameters<typeof runSync>[0]['bulkJob']>;

/** A session on the org's integration user. */
type Session = { instanceUrl: string; accessToken: string; version: string };

/** A fresh org on the emulator (in this process, or with --emulator-process in its own) and a session on its integration user. */
async function freshOrg(): Promise<{ connection: Session; close: () => Promise<void> }> {
  if (process.argv.includes('--emulator-process')) {
    const emu = await startEmulatorProcess(1);
    const org = emu.orgs[0];
    const connection = { instanceUrl: org.instanceUrl, accessToken: await emu.accessToken(org), version: '65.0' };
    return { connection, close: () => emu.close() };
  }
  const emu = await startEmulator();
  const accessToken = emu.issueTokens('integration').accessToken;
  return { connection: { instanceUrl: emu.instanceUrl, accessToken, version: '65.0' }, close: () => emu.close() };
}

/** Seeds `store`, then times one backfill of it into a fresh emulator; prints one line. */
async function measure(label: string, store: AsyncStore, bulkJob?: BulkJobHook): Promise<void> {
  const members = arg('members', 1_000);
  const activities = arg('activities', 20_000);
  let t = performance.now();
  await writeBenchCommunity(await store.beginWrite(), { members, activities, now: NOW });
  const seeded = (performance.now() - t) / 1000;
  const org = await freshOrg();
  try {
    queryStats.clear();
    const cpu = [process.cpuUsage(), postgresCpuSeconds()] as const;
    t = performance.now();
    const summary = await runSync({
      store,
      connection: org.connection,
      config: parseConfig({}, 'defaults'),
      type: 'backfill',
      now: NOW,
      bulkJob,
      ...(process.argv.includes('--job-rows') ? { tuning: { maxJobRows: arg('job-rows', 0) } } : {}),
    });
    const push = (performance.now() - t) / 1000;
    const a = summary.objects.activity;
    const used = process.cpuUsage(cpu[0]);
    const pgCpu = postgresCpuSeconds() - cpu[1];
    console.log(
      `${label}: push ${push.toFixed(1)} s (seed ${seeded.toFixed(1)} s), ${summary.status}, ` +
        `activities ${a.succeeded}/${a.failed}, API calls ${summary.apiCalls}; ` +
        `CPU: this process ${((used.user + used.system) / 1e6).toFixed(1)} s, PostgreSQL ${pgCpu.toFixed(1)} s`,
    );
    if (process.argv.includes('--job-times')) await printJobTimes(store, summary.runId, org.connection);
  } finally {
    await org.close();
  }
}

/**
 * CPU seconds used so far by the machine's running PostgreSQL processes (Linux /proc; 0 elsewhere). The
 * pool's sessions live through a measurement, so the difference of two readings is the server's work.
 */
function postgresCpuSeconds(): number {
  if (!existsSync('/proc')) return 0;
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the process ended between the listing and the read
    }
  }
  return ticks / 100;
}

/** With `--queries`: each query's count and total time during the push (not the seeding), by its text. */
const queryStats = new Map<string, { n: number; ms: number }>();

/** Counts every query from here on into `queryStats`; returns the printer of the top 15. */
function countQueries(): () => void {
  const stats = queryStats;
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
  // A database of its own, dropped at the end: an earlier run's dead rows do not slow this one.
  const db = await createFleetDatabase(url);
  const pool = await openPool(db.url);
  try {
    await migrate(pool);
    const { rows } = await pool.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('bench-push') RETURNING id");
    const tenantId = Number(rows[0].id);
    const lock = process.argv.includes('--bulk-lock');
    const bulkJob: BulkJobHook | undefined = lock
      ? (object, run) => withBulkLock(pool, { org: 'bench', object }, () => run())
      : undefined;
    await measure(
      lock ? 'postgres, Bulk lock' : 'postgres',
      PgStore.open(pool, tenantId, 'tenant bench-push'),
      bulkJob,
    );
    report?.();
  } finally {
    await pool.end();
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).stack ?? err);
  process.exitCode = 1;
});
