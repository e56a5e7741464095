import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { startEmulators, type EmulatorFleet, type RunningEmulator } from '../../../org-emulator';
import { usePostgres } from '../../../test-support/postgres';
import { migrate } from '../../db/migrate';
import { waitForAttempt } from '../../cli-support';
import { RunQueue } from '../../queue/runs';
import { resolveMasterKeys } from '../../secrets/master-key';
import { PgStore } from '../../store';
import { addTenant } from '../../tenants';
import type { TenantRef } from '../../tenant-state/tenant-ref';
import { startServerProcess, type ServerProcess } from '../process';
import { productionRunner } from '../production-runner';
import { attempts, captureLog, connectToEmulator, FAST, ingestSample, ledgerRuns, until } from './support';

const MEMBER = 'tightknit__Member__c';
const ACTIVITY = 'tightknit__Activity__c';
const ID = 'tightknit__Tightknit_Id__c';

/**
 * "Database restarted mid-run": every connection to the test's database is terminated (as a restart
 * does to its clients) while a worker pushes a tenant's backfill into the org emulator. The worker
 * must reconnect and the run complete, on this attempt or a retry, with every record in the org once.
 */
describe('the database restarting mid-run', () => {
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
  let acme: TenantRef;
  let beta: TenantRef;
  let queue: RunQueue;
  let proc: ServerProcess;
  const { log, lines } = captureLog();

  /** Ends every other session on the test's database, as a server restart does; returns how many. */
  async function restartDatabase(): Promise<number> {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return Number(rows[0].n);
  }

  /** A tenant with the sample community ingested, connected to `emu` as the web flow leaves it. */
  async function connectedTenant(name: string, emu: RunningEmulator): Promise<TenantRef> {
    const t = (await addTenant(pool, keys, name)).tenant;
    await ingestSample(pool, t);
    await connectToEmulator(pool, keys, t, emu);
    return t;
  }

  /**
   * The database down for `ms`: it refuses new connections (as a server still starting does) and every
   * session on it ends; then it takes connections again. Done from the server's maintenance database.
   */
  async function outage(ms: number): Promise<void> {
    const url = new URL(pg.url);
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${pg.db.name} WITH ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [pg.db.name]);
      await new Promise((r) => setTimeout(r, ms));
    } finally {
      await admin.query(`ALTER DATABASE ${pg.db.name} WITH ALLOW_CONNECTIONS true`);
      await admin.end();
    }
  }

  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url, max: 2 });
    // This pool's idle connections are terminated too; the next query opens new ones.
    pool.on('error', () => undefined);
    await migrate(pool);
    fleet = await startEmulators({ orgs: 2 });
    acme = await connectedTenant('acme', fleet.orgs[0]);
    beta = await connectedTenant('beta', fleet.orgs[1]);
    queue = await RunQueue.open(pg.url);
    proc = await startServerProcess({
      url: pg.url,
      runner: productionRunner({
        keys,
        budget: { reserve: 0.2 },
        tuning: { poll: { initialMs: 20, maxMs: 100, timeoutMs: 30_000 } },
      }),
      log,
      concurrency: 2,
      tuning: FAST,
    });
  }, 120_000);

  it('the worker reconnects and the backfill completes; every record is in the org exactly once', async () => {
    const emu = fleet.orgs[0];
    const counts = await PgStore.open(pool, acme.id, acme.name).counts();
    // Slow answers so that the pass is still running when the database goes away.
    emu.setFaults({ latencyMs: 60 });
    const jobId = await queue.enqueue({ tenantId: acme.id, type: 'backfill' });

    // First while the pass starts, then once the org has some members but not all the activities.
    await until(
      async () => (await attempts(pool, acme.id)).some((a) => a.job_id === jobId && a.status === 'Running'),
      30,
    );
    expect(await restartDatabase()).toBeGreaterThan(0);
    await until(async () => emu.org.records(MEMBER).length > 0, 60);
    expect(emu.org.records(ACTIVITY).length).toBeLessThan(counts.activity);
    expect(await restartDatabase()).toBeGreaterThan(0);
    emu.setFaults({ latencyMs: 0 });

    const done = await until(async () => {
      const rows = (await attempts(pool, acme.id)).filter((a) => a.job_id === jobId);
      return rows.some((a) => a.status === 'Succeeded') && rows;
    }, 120);
    // Attempts that lost the database end Failed (retried) or Lost; exactly one succeeds.
    expect(done.filter((a) => a.status === 'Succeeded')).toHaveLength(1);
    expect(done.every((a) => ['Succeeded', 'Failed', 'Lost'].includes(a.status))).toBe(true);
    const state = async () =>
      (
        await pool.query<{ state: string }>("SELECT state FROM pgboss.job WHERE id = $1 AND name = 'tenant-runs'", [
          jobId,
        ])
      ).rows[0]?.state;
    expect(await until(async () => (await state()) === 'completed' && 'completed', 30)).toBe('completed');

    // Nothing lost, nothing duplicated: each member and activity once, by its Tightknit id.
    for (const [object, expected] of [
      [MEMBER, counts.member],
      [ACTIVITY, counts.activity],
    ] as const) {
      const ids = emu.org.records(object).map((r) => r[ID]);
      expect(ids).toHaveLength(expected);
      expect(new Set(ids).size).toBe(expected);
    }
    // The ledger has the backfill succeeded, and no second backfill pushed anything again.
    const runs = await ledgerRuns(pool, acme.id);
    expect(runs.filter((r) => r.status === 'Succeeded' && r.type === 'backfill')).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(emu.clientSecret);

    // The worker goes on after the restart: the next run is incremental and pushes nothing.
    const next = await queue.enqueue({ tenantId: acme.id, type: 'incremental' });
    await until(
      async () => (await attempts(pool, acme.id)).some((a) => a.job_id === next && a.status === 'Succeeded'),
      60,
    );
    expect(emu.org.records(ACTIVITY)).toHaveLength(counts.activity);
  }, 240_000);

  it('the database refusing connections for 4 s mid-run: the run is retried and completes, nothing lost or doubled', async () => {
    const emu = fleet.orgs[1];
    const counts = await PgStore.open(pool, beta.id, beta.name).counts();
    emu.setFaults({ latencyMs: 60 });
    const jobId = await queue.enqueue({ tenantId: beta.id, type: 'backfill' });
    await until(async () => emu.org.records(MEMBER).length > 0, 60);
    expect(emu.org.records(ACTIVITY).length).toBeLessThan(counts.activity);
    await outage(4000);
    emu.setFaults({ latencyMs: 0 });

    const done = await until(async () => {
      const rows = (await attempts(pool, beta.id)).filter((a) => a.job_id === jobId);
      return rows.some((a) => a.status === 'Succeeded') && rows;
    }, 150);
    expect(done.filter((a) => a.status === 'Succeeded')).toHaveLength(1);
    for (const [object, expected] of [
      [MEMBER, counts.member],
      [ACTIVITY, counts.activity],
    ] as const) {
      const ids = emu.org.records(object).map((r) => r[ID]);
      expect(ids).toHaveLength(expected);
      expect(new Set(ids).size).toBe(expected);
    }
    expect((await ledgerRuns(pool, beta.id)).filter((r) => r.status === 'Succeeded')).toHaveLength(1);
  }, 240_000);

  it('`sync --tenant` waiting for the result waits out the outage and gets it', async () => {
    // The CLI's own pool, as `sync` opens it (idle clients' errors are ignored, as openPool does).
    const cli = new Pool({ connectionString: pg.url, max: 1 });
    cli.on('error', () => undefined);
    try {
      const jobId = await queue.enqueue({ tenantId: acme.id, type: 'incremental' });
      const outcome = waitForAttempt(cli, jobId, new AbortController().signal, 100);
      await outage(3000);
      await expect(outcome).resolves.toMatchObject({ status: 'Succeeded' });
    } finally {
      await cli.end();
    }
  }, 120_000);
});
