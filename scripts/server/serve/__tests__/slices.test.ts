import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { startEmulators, type EmulatorFleet } from '../../../org-emulator';
import { usePostgres } from '../../../test-support/postgres';
import { migrate } from '../../db/migrate';
import { RunQueue } from '../../queue/runs';
import { resolveMasterKeys } from '../../secrets/master-key';
import { PgStore } from '../../store';
import { addTenant } from '../../tenants';
import type { TenantRef } from '../../tenant-state/tenant-ref';
import { sliceSecondsFromEnv } from '../backfill-slice';
import { startServerProcess, type ServerProcess } from '../process';
import { productionRunner } from '../production-runner';
import type { TenantPassRunner } from '../runner';
import { isLargeBackfill } from '../tenant-pass';
import { captureLog, connectToEmulator, FAST, ingestSample, until } from './support';

const ACTIVITY = 'tightknit__Activity__c';
const MEMBER = 'tightknit__Member__c';

/**
 * A large backfill cut into time slices (a threshold of 1 record, slices of 0 s: each pass stops after its
 * first Bulk job or object). One worker with one loop: a small tenant's run queued behind the large
 * backfill gets the loop between two of its slices.
 */
describe('a large backfill in time slices, in server mode', () => {
  afterAll(async () => {
    await queue?.stop();
    await proc?.stop();
    await fleet?.close();
    await pool?.end();
  });
  const pg = usePostgres();
  const keys = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: randomBytes(32).toString('base64') });
  let pool: Pool;
  let fleet: EmulatorFleet;
  let big: TenantRef;
  let small: TenantRef;
  let queue: RunQueue | undefined;
  let proc: ServerProcess | undefined;

  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    await migrate(pool);
    fleet = await startEmulators({ orgs: 2 });
    big = (await addTenant(pool, keys, 'big')).tenant;
    small = (await addTenant(pool, keys, 'small')).tenant;
    for (const [i, t] of [big, small].entries()) {
      await ingestSample(pool, t);
      await connectToEmulator(pool, keys, t, fleet.orgs[i]);
    }
  }, 120_000);

  it('continues the backfill across passes, every record once, and runs the small tenant between two slices', async () => {
    const production = productionRunner({
      keys,
      budget: false,
      tuning: { poll: { initialMs: 20, maxMs: 100, timeoutMs: 30_000 }, maxJobRows: 1_500 },
    });
    const starts: Array<{ tenant: string; sliced: boolean }> = [];
    const runner: TenantPassRunner = {
      run: (input) => {
        starts.push({ tenant: input.tenant.name, sliced: input.sliceUntil !== undefined });
        return production.run(input);
      },
      isLarge: async (input) => input.tenant.name === 'big' && isLargeBackfill(input, 1),
    };
    queue = await RunQueue.open(pg.url);
    await queue.enqueue({ tenantId: big.id, type: 'backfill' });
    await queue.enqueue({ tenantId: small.id, type: 'incremental' });
    const { log, lines } = captureLog();
    proc = await startServerProcess({ url: pg.url, runner, log, concurrency: 1, tuning: { ...FAST, sliceSeconds: 0 } });
    const bigStore = PgStore.open(pool, big.id, big.name);
    const smallStore = PgStore.open(pool, small.id, small.name);
    await until(async () => (await bigStore.ledger.lastRun('backfill'))?.status === 'Succeeded', 180);
    await until(async () => (await smallStore.ledger.lastRun('backfill'))?.status === 'Succeeded', 60);

    // The large backfill ran as linked slices: Stopped with records left, each continued by the next run.
    const runs = (await bigStore.ledger.runs(100)).reverse();
    expect(runs.length).toBeGreaterThanOrEqual(4);
    expect(runs.every((r) => r.type === 'backfill')).toBe(true);
    expect(runs.slice(0, -1).every((r) => r.status === 'Stopped')).toBe(true);
    expect(runs[runs.length - 1].status).toBe('Succeeded');
    for (let i = 1; i < runs.length; i++) expect(runs[i].message).toMatch(`Continues backfill run ${runs[i - 1].id}.`);
    // Every record once: in the org by external id, and as rows uploaded over all the slices.
    const counts = await bigStore.counts();
    const org = fleet.orgs[0].org;
    const ids = (name: string) => new Set(org.records(name).map((r) => String(r.tightknit__Tightknit_Id__c)));
    expect(org.records(ACTIVITY)).toHaveLength(counts.activity);
    expect(ids(ACTIVITY).size).toBe(counts.activity);
    expect(ids(MEMBER).size).toBe(counts.member);
    let uploaded = 0;
    for (const run of runs) {
      const jobs = await bigStore.ledger.jobsOfRun(run.id);
      uploaded += jobs.filter((j) => j.object === 'activity' && j.path === 'bulk').reduce((n, j) => n + j.records, 0);
    }
    expect(uploaded).toBe(counts.activity);

    // One loop: the small tenant's run started between two slices of the large backfill.
    const at = starts.findIndex((s) => s.tenant === 'small');
    expect(at).toBeGreaterThan(0);
    expect(starts.slice(0, at).every((s) => s.tenant === 'big' && s.sliced)).toBe(true);
    expect(starts.slice(at + 1).some((s) => s.tenant === 'big')).toBe(true);
    expect(starts[at].sliced).toBe(false);
    expect(lines.filter((l) => l.includes('backfill slice ended'))).toHaveLength(runs.length - 1);
    // Each slice is an attempt of its own job that completed (no retry of a failed job).
    const { rows } = await pool.query<{ status: string; attempt: number }>(
      'SELECT status, attempt FROM run_attempts WHERE tenant_id = $1 ORDER BY started_at',
      [big.id],
    );
    expect(rows.map((r) => r.status)).toEqual(runs.map((r) => r.status));
    expect(rows.every((r) => r.attempt === 0)).toBe(true);
  }, 240_000);
});

describe('TIGHTKNIT_BACKFILL_SLICE_SECONDS', () => {
  it('defaults to 2 minutes, takes 0 or more seconds, and refuses anything else with the fix', () => {
    expect(sliceSecondsFromEnv({})).toBe(120);
    expect(sliceSecondsFromEnv({ TIGHTKNIT_BACKFILL_SLICE_SECONDS: ' 30 ' })).toBe(30);
    expect(sliceSecondsFromEnv({ TIGHTKNIT_BACKFILL_SLICE_SECONDS: '0' })).toBe(0);
    for (const bad of ['-1', 'two minutes', 'Infinity']) {
      expect(() => sliceSecondsFromEnv({ TIGHTKNIT_BACKFILL_SLICE_SECONDS: bad })).toThrow(
        /TIGHTKNIT_BACKFILL_SLICE_SECONDS must be a number of seconds, 0 or more/,
      );
    }
  });
});
