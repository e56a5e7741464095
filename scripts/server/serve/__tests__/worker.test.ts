import { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { withTenant } from '../../db/tenant-scope';
import { RunQueue } from '../../queue/runs';
import { enqueueDue, setSchedule } from '../../queue/schedule';
import { startServerProcess, type ServerProcess } from '../process';
import { ledgerRunner } from './ledger-runner';
import { FAST, addTenants, attempts, captureLog, ledgerRuns, until } from './support';

describe('server-mode worker loops and the schedule', () => {
  let pool: Pool;
  let ids: number[];
  afterAll(async () => pool.end());
  const pg = usePostgres();
  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    ids = await addTenants(pool, 'acme', 'beta', 'gamma');
  });

  it('runs a queued run through the pass, which records it in the tenant’s own ledger', async () => {
    const { log, lines } = captureLog();
    const proc = await startServerProcess({
      url: pg.url,
      runner: ledgerRunner({ holdMs: 50 }),
      log,
      concurrency: 2,
      tuning: FAST,
    });
    const queue = await RunQueue.open(pg.url);
    try {
      await queue.enqueue({ tenantId: ids[0], type: 'backfill' });
      const [done] = await until(async () => {
        const rows = await attempts(pool, ids[0]);
        return rows[0]?.status === 'Succeeded' && rows;
      }, 30);
      expect(done.type).toBe('backfill');
      expect(await ledgerRuns(pool, ids[0])).toEqual([{ type: 'backfill', status: 'Succeeded' }]);
      // The other tenants' ledgers saw nothing.
      expect(await ledgerRuns(pool, ids[1])).toEqual([]);
      const { rows } = await pool.query<{ records_pushed: string }>(
        'SELECT records_pushed FROM run_attempts WHERE tenant_id = $1',
        [ids[0]],
      );
      expect(Number(rows[0].records_pushed)).toBe(3);
      const finished = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'run finished');
      expect(finished).toMatchObject({ tenant: 'acme', tenantId: ids[0], status: 'Succeeded' });
      expect(typeof finished?.run).toBe('number');
      expect(typeof finished?.job).toBe('string');
    } finally {
      await queue.stop();
      await proc.stop();
    }
  }, 60_000);

  it('keeps the operator tables away from tenant sessions (the application role has no privilege on them)', async () => {
    for (const table of ['tenant_schedules', 'run_attempts', 'org_api_budget']) {
      await expect(withTenant(pool, ids[0], (c) => c.query(`SELECT * FROM ${table}`))).rejects.toThrow(
        `permission denied for table ${table}`,
      );
    }
  });

  it('refuses an interval outside 1–1440 minutes', async () => {
    await expect(setSchedule(pool, ids[0], { enabled: true, intervalMinutes: 0 })).rejects.toThrow(
      'whole number of minutes from 1 to 1440',
    );
  });

  it('queues each due tenant once across concurrent schedulers: a backfill first, then incremental runs', async () => {
    await pool.query('DELETE FROM run_attempts');
    const queue = await RunQueue.open(pg.url);
    const procs: ServerProcess[] = [];
    try {
      expect(await setSchedule(pool, ids[1], { enabled: true })).toEqual({ enabled: true, intervalMinutes: 5 });
      await setSchedule(pool, ids[2], { enabled: true, intervalMinutes: 1 });
      // Two schedulers at once, as in two processes: SKIP LOCKED splits the due rows, none is queued twice.
      const other = new Pool({ connectionString: pg.url });
      const both = await Promise.all([enqueueDue(pool, queue), enqueueDue(other, queue)]);
      await other.end();
      const queued = both.flat();
      expect(queued.map((r) => r.tenantId).sort()).toEqual([ids[1], ids[2]].sort());
      expect(queued.every((r) => r.type === 'backfill')).toBe(true);
      // Not due again until the interval has passed, and the queued job is unfinished anyway.
      expect(await enqueueDue(pool, queue)).toEqual([]);
      await pool.query('UPDATE tenant_schedules SET next_due_at = now() WHERE tenant_id = $1', [ids[1]]);
      expect(await enqueueDue(pool, queue)).toEqual([]);

      for (let i = 0; i < 2; i += 1) {
        const { log } = captureLog();
        procs.push(
          await startServerProcess({
            url: pg.url,
            runner: ledgerRunner({ holdMs: 200 }),
            log,
            concurrency: 2,
            tuning: FAST,
          }),
        );
      }
      await until(
        async () => (await ledgerRuns(pool, ids[2])).length === 1 && (await ledgerRuns(pool, ids[1])).length >= 1,
        30,
      );
      // Time passes for gamma: the running schedulers queue its next run, an incremental one.
      await pool.query('UPDATE tenant_schedules SET next_due_at = now() WHERE tenant_id = $1', [ids[2]]);
      const runs = await until(async () => {
        const r = await ledgerRuns(pool, ids[2]);
        return r.length === 2 && r[1].status === 'Succeeded' && r;
      }, 30);
      expect(runs.map((r) => r.type)).toEqual(['backfill', 'incremental']);
      // A paused schedule queues nothing.
      await setSchedule(pool, ids[2], { enabled: false, intervalMinutes: 1 });
      await pool.query('UPDATE tenant_schedules SET next_due_at = now() WHERE tenant_id = $1', [ids[2]]);
      expect(await enqueueDue(pool, queue)).toEqual(
        expect.not.arrayContaining([expect.objectContaining({ tenantId: ids[2] })]),
      );
    } finally {
      await queue.stop();
      for (const p of procs) await p.stop();
    }
  }, 90_000);

  it('queues a run due within the look-ahead to start at its due time, not at the pass after it', async () => {
    const queue = await RunQueue.open(pg.url);
    try {
      await setSchedule(pool, ids[0], { enabled: true, intervalMinutes: 5 });
      await pool.query("UPDATE tenant_schedules SET next_due_at = now() + interval '30 seconds' WHERE tenant_id = $1", [
        ids[0],
      ]);
      const mine = <T extends { tenantId: number }>(queued: T[]): T[] => queued.filter((r) => r.tenantId === ids[0]);
      expect(mine(await enqueueDue(pool, queue, 10))).toEqual([]);
      const [request] = mine(await enqueueDue(pool, queue, 60));
      expect(request.dueAt).toBeDefined();
      const { rows } = await pool.query<{ start_after: Date }>(
        `SELECT j.start_after FROM pgboss.job j JOIN tenant_schedules s ON s.last_job_id::text = j.id::text
          WHERE s.tenant_id = $1`,
        [ids[0]],
      );
      expect(rows[0].start_after.toISOString()).toBe(request.dueAt);
    } finally {
      await setSchedule(pool, ids[0], { enabled: false });
      await queue.stop();
    }
  }, 60_000);
});
