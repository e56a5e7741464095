/**
 * npm run bench:tenants -- --scenario steady|kill|backfill [--tenants N] [--minutes M] [--interval MIN]
 *   [--workers W] [--concurrency C] [--kill-every S] [--restart-after S] [--backfill-activities A]
 *   [--activity-every S] [--activity-per-tick K] [--cold-fleet] [--database postgres://…]
 *   [--worker-node-flags "…"]
 *
 * The server mode under load (issue 20, "Performance"): a fleet of N tenants (scripts/fleet/harness.ts:
 * a fresh database on --database's server or an embedded PostgreSQL, one org emulator process with an
 * org per tenant, the sample community in each), W `tightknit-sync worker` processes, every tenant's
 * schedule at --interval minutes and live activity written into every tenant during the run. Then,
 * from the history (`run_attempts`): p99 start lag of the scheduled runs against their due time, pairs
 * of attempts of one tenant that overlapped, each worker's peak RSS (VmHWM), and store against org by
 * external id (0 lost, 0 duplicated). Scenarios:
 *   steady   the tenants' incremental runs (after their backfills, not measured), --minutes long;
 *   kill     the same with one worker killed -9 every --kill-every seconds, restarted --restart-after later;
 *   backfill one tenant backfilling --backfill-activities activities (bench:push's data) beside the small
 *            ones: the small tenants backfill first (not measured) and the large tenant's schedule is
 *            turned on 10 s before their first incremental runs fall due, so the backfill runs through
 *            that wave; the small tenants' lag over their runs in the window, the large backfill's wall time
 *            beside `bench:push --only sync` on the same data, run after it. `--cold-fleet`: every
 *            schedule is turned on at once instead, so the 50 small first backfills share the large
 *            one's minute (a harsher load than a running fleet sees; the small tenants' lag then
 *            includes their backfills).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFleet, type Fleet } from '../fleet/harness';
import { waitForRuns } from '../fleet/runs';
import { setSchedule } from '../server/queue/schedule';
import { writeBenchCommunity } from './seed';
import { startLiveActivity } from './tenants-activity';
import { attemptsByStatus, overlaps, percentiles, reconcile, startLags } from './tenants-report';
import { startWorkers, type WorkerFleet } from './tenants-workers';

type Scenario = 'steady' | 'kill' | 'backfill';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function num(name: string, fallback: number, min = 0): number {
  const raw = flag(name);
  const v = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(v) || v < min) throw new Error(`--${name} must be a number ≥ ${min} (got ${raw})`);
  return v;
}

function options() {
  const scenario = (flag('scenario') ?? 'steady') as Scenario;
  if (!['steady', 'kill', 'backfill'].includes(scenario))
    throw new Error(`--scenario must be steady, kill or backfill (got ${scenario})`);
  if (scenario === 'backfill' && !existsSync(join(__dirname, '..', '..', 'dist', 'cli', 'main.js')))
    throw new Error('--scenario backfill ends with bench:push, which runs the built CLI: run `npm run build` first.');
  return {
    scenario,
    tenants: num('tenants', scenario === 'backfill' ? 50 : 200, 1),
    minutes: num('minutes', 15, 0.1),
    interval: num('interval', 5, 1),
    workers: num('workers', 2, 1),
    concurrency: num('concurrency', 2, 1),
    killEvery: num('kill-every', scenario === 'kill' ? 120 : 0),
    restartAfter: num('restart-after', 10),
    backfillActivities: num('backfill-activities', scenario === 'backfill' ? 1_000_000 : 0),
    activityEvery: num('activity-every', 30, 1),
    activityPerTick: num('activity-per-tick', 3, 1),
    coldFleet: process.argv.includes('--cold-fleet'),
    database: flag('database') ?? process.env.TIGHTKNIT_DATABASE_URL,
    /** V8/node flags for the worker processes only (memory experiments), e.g. "--optimize-for-size". */
    workerNodeFlags: (flag('worker-node-flags') ?? '').split(/\s+/).filter(Boolean),
  };
}
type Options = ReturnType<typeof options>;

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const BENCH_NOW = new Date('2026-11-20T12:00:00.000Z');
/** The large tenant's members: bench:push's ratio of one member per 20 activities (100 at least). */
const largeMembers = (activities: number): number => Math.max(100, Math.round(activities / 20));

/**
 * Every `everyS` seconds kills one worker with -9 (restarted `restartS` later): one that is running a
 * pass right now when there is one (the history says which: `run_attempts.worker` is host:pid), so the
 * kill lands mid-run; else the next in turn.
 */
function startKiller(fleet: Fleet, workers: WorkerFleet, everyS: number, restartS: number) {
  let stopped = false;
  let kills = 0;
  let midRun = 0;
  let wake = (): void => undefined;
  const busySlot = async (): Promise<number | undefined> => {
    const { rows } = await fleet.pool.query<{ worker: string }>(
      "SELECT worker FROM run_attempts WHERE status = 'Running' ORDER BY started_at",
    );
    const pids = workers.pids();
    for (const r of rows) {
      const slot = pids.indexOf(Number(r.worker.split(':').pop()));
      if (slot >= 0) return slot;
    }
    return undefined;
  };
  const loop = (async () => {
    while (!stopped) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, everyS * 1000);
      });
      if (stopped) return;
      let slot = await busySlot();
      for (let i = 0; slot === undefined && i < 300; i += 1) {
        await sleep(100);
        slot = await busySlot();
      }
      if (slot !== undefined) midRun += 1;
      await workers.kill(slot ?? kills % workers.pids().length, restartS * 1000);
      kills += 1;
    }
  })();
  return {
    kills: () => ({ kills, midRun }),
    stop: async () => {
      stopped = true;
      wake();
      await loop;
    },
  };
}

/** Waits until every tenant ran an incremental pass that started after its last live write (all pushed). */
async function settle(fleet: Fleet, lastWrite: (id: number) => number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await fleet.pool.query<{ tenant_id: string; last: Date }>(
      `SELECT tenant_id, max(started_at) AS last FROM run_attempts
        WHERE status = 'Succeeded' AND type = 'incremental' GROUP BY tenant_id`,
    );
    const last = new Map(rows.map((r) => [Number(r.tenant_id), r.last.getTime()]));
    const behind = fleet.tenants.filter((t) => (last.get(t.ref.id) ?? 0) <= lastWrite(t.ref.id));
    if (behind.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `${behind.length} tenants had no run after their last activity: ${behind.map((t) => t.ref.name).join(', ')}`,
      );
    await sleep(1000);
  }
}

/**
 * The large tenant's backfill once it finished: its wall time from the start of its first attempt to the
 * end of its last (a backfill cut into time slices is several runs, each an attempt of its own job):
 * earlier versions of this bench reported the last attempt only.
 */
async function wholeBackfill(fleet: Fleet, tenant: Fleet['tenants'][number]['ref']): Promise<Record<string, unknown>> {
  const last = (await waitForRuns(fleet.pool, [tenant], { type: 'backfill', timeoutSeconds: 6 * 3600 }))[0];
  const { rows } = await fleet.pool.query<{ seconds: number; attempts: number; jobs: number }>(
    `SELECT extract(epoch FROM max(finished_at) - min(started_at))::float8 AS seconds, count(*)::int AS attempts,
            count(DISTINCT job_id)::int AS jobs
       FROM run_attempts WHERE tenant_id = $1 AND type = 'backfill'`,
    [tenant.id],
  );
  return { ...rows[0], status: last.status, lastAttemptSeconds: last.seconds };
}

/** `bench:push --only sync` on the large tenant's data, for the backfill scenario's comparison. */
async function embeddedPush(members: number, activities: number): Promise<{ wallMs: number } | undefined> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(__dirname, 'push.ts'),
      '--members',
      String(members),
      '--activities',
      String(activities),
      '--only',
      'sync',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => child.once('exit', r));
  const line = out.split('\n').find((l) => l.startsWith('sync:'));
  return line ? (JSON.parse(line.slice('sync:'.length)) as { wallMs: number }) : undefined;
}

async function setUp(o: Options, dir: string): Promise<Fleet> {
  const large = o.scenario === 'backfill';
  const started = Date.now();
  const fleet = await startFleet({
    database: o.database,
    tenants: o.tenants + (large ? 1 : 0),
    names: large ? ['large', ...Array.from({ length: o.tenants }, (_, i) => `small-${i + 1}`)] : undefined,
    populate: large
      ? {
          0: async (store) =>
            writeBenchCommunity(await store.beginWrite(), {
              members: largeMembers(o.backfillActivities),
              activities: o.backfillActivities,
              now: BENCH_NOW,
            }),
        }
      : undefined,
    onStep: (l) => say(`  ${l}`),
  });
  say(`fleet ready in ${seconds(Date.now() - started)} (database: ${fleet.database}, logs in ${dir})`);
  return fleet;
}

/**
 * How long before the small tenants' first incremental runs fall due the large backfill is started: it is
 * under way when they come due (started with them, it would wait in the queue behind 50 short runs).
 */
const LEAD_SECONDS = 10;

/** The earliest next due time among `tenants`' schedules. */
async function firstDue(fleet: Fleet, tenants: Fleet['tenants']): Promise<Date> {
  const { rows } = await fleet.pool.query<{ due: Date }>(
    'SELECT min(next_due_at) AS due FROM tenant_schedules WHERE tenant_id = ANY($1::bigint[])',
    [tenants.map((t) => t.ref.id)],
  );
  return rows[0].due;
}

async function run(o: Options, fleet: Fleet, dir: string): Promise<Record<string, unknown>> {
  const workers = await startWorkers({
    count: o.workers,
    concurrency: o.concurrency,
    env: fleet.env(),
    logDir: dir,
    nodeFlags: o.workerNodeFlags,
  });
  const large = o.scenario === 'backfill' ? fleet.tenants[0] : undefined;
  const small = fleet.tenants.filter((t) => t !== large);
  const schedulesOn = async (tenants: Fleet['tenants']): Promise<void> => {
    for (const t of tenants) await setSchedule(fleet.pool, t.ref.id, { enabled: true, intervalMinutes: o.interval });
  };
  const cold = large !== undefined && o.coldFleet;
  const warm = cold ? [] : small;
  let warmUp = 0;
  if (warm.length > 0) {
    const started = Date.now();
    await schedulesOn(warm);
    await waitForRuns(
      fleet.pool,
      warm.map((t) => t.ref),
      { type: 'backfill', timeoutSeconds: 3600 },
    );
    warmUp = Date.now() - started;
    say(`backfills of ${warm.length} tenants done in ${seconds(warmUp)} (warm-up, not measured)`);
  }
  const live = await startLiveActivity({
    pool: fleet.pool,
    tenants: small.map((t) => t.ref),
    everyMs: o.activityEvery * 1000,
    perTick: o.activityPerTick,
    dir,
  });
  if (large && !cold) {
    const wave = await firstDue(fleet, warm);
    say(
      `the small tenants' first incremental runs fall due at ${wave.toISOString()}; the large backfill starts ${LEAD_SECONDS} s before`,
    );
    await sleep(Math.max(0, wave.getTime() - LEAD_SECONDS * 1000 - Date.now()));
  }
  const from = new Date();
  if (large) await schedulesOn(cold ? fleet.tenants : [large]);
  const killer = o.killEvery > 0 ? startKiller(fleet, workers, o.killEvery, o.restartAfter) : undefined;
  say(`measuring for ${o.minutes} min from ${from.toISOString()}`);
  await sleep(o.minutes * 60_000);
  const to = new Date();
  await killer?.stop();
  await live.stop();
  say(`window over; ${live.written()} live activities written; waiting for every tenant to push them`);
  await settle({ ...fleet, tenants: small }, (id) => live.lastWrite(id), (o.interval * 3 + 5) * 60_000);
  const largeRun = large ? await wholeBackfill(fleet, large.ref) : undefined;
  await workers.stop();
  const ids = small.map((t) => t.ref.id);
  const lags = await startLags(fleet.pool, {
    tenantIds: ids,
    from,
    to,
    types: cold ? undefined : ['incremental'],
  });
  return {
    scenario: o.scenario,
    ...(large
      ? {
          fleet: cold ? 'cold (every first backfill in the window)' : 'warm (small backfills before the window)',
        }
      : {}),
    tenants: small.length,
    warmUpSeconds: Math.round(warmUp / 100) / 10,
    startLagSeconds: percentiles(lags),
    overlappingAttempts: await overlaps(
      fleet.pool,
      fleet.tenants.map((t) => t.ref.id),
    ),
    attempts: await attemptsByStatus(
      fleet.pool,
      fleet.tenants.map((t) => t.ref.id),
    ),
    kills: killer?.kills() ?? { kills: 0, midRun: 0 },
    workers: workers.summary(),
    workerCli: workers.built ? 'built (dist/)' : 'sources (tsx)',
    ...(o.workerNodeFlags.length > 0 ? { workerNodeFlags: o.workerNodeFlags.join(' ') } : {}),
    liveActivities: live.written(),
    reconciliation: await reconcile(fleet),
    ...(largeRun ? { largeBackfill: largeRun } : {}),
  };
}

async function main(): Promise<void> {
  const o = options();
  say(`bench:tenants ${JSON.stringify(o).replace(/"database":"[^"]*"/, '"database":"(given)"')}`);
  const dir = mkdtempSync(join(tmpdir(), 'tk-bench-tenants-'));
  const fleet = await setUp(o, dir);
  let result: Record<string, unknown>;
  try {
    result = await run(o, fleet, dir);
  } finally {
    await fleet.close();
  }
  if (o.scenario === 'backfill') {
    const embedded = await embeddedPush(largeMembers(o.backfillActivities), o.backfillActivities);
    result.embeddedPush = embedded;
    const large = result.largeBackfill as { seconds: number } | undefined;
    if (embedded && large) result.backfillRatio = Math.round((large.seconds / (embedded.wallMs / 1000)) * 100) / 100;
  }
  say(`result: ${JSON.stringify(result)}`);
  // The workers' logs stay for a look at what ran (how long each pass took, what failed); the rest goes.
  for (const f of readdirSync(dir)) if (!/^worker-\d+\.log$/.test(f)) rmSync(join(dir, f), { force: true });
  say(`worker logs kept in ${dir}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
