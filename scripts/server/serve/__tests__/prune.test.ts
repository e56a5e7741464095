import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { RunQueue } from '../../queue/runs';
import { ATTEMPTS_KEPT, pruneAttempts } from '../attempts';
import { FleetMetrics } from '../metrics';
import { startServerProcess } from '../process';
import { ledgerRunner } from './ledger-runner';
import { FAST, addTenants, captureLog, until } from './support';

/** Finished attempts of a tenant, oldest first: `statuses[i]` started i minutes after `base`. */
async function seed(pool: Pool, tenantId: number, statuses: string[], pushed = 2): Promise<void> {
  await pool.query(
    `INSERT INTO run_attempts (job_id, attempt, tenant_id, type, started_at, finished_at, status, records_pushed, worker)
     SELECT ($1::uuid[])[i], 0, $2, 'incremental', $3::timestamptz + (i - 1) * interval '1 minute',
            $3::timestamptz + (i - 1) * interval '1 minute' + interval '5 seconds', ($4::text[])[i],
            CASE WHEN ($4::text[])[i] = 'Running' THEN 0 ELSE $5 END, 'test'
       FROM generate_series(1, cardinality($4::text[])) AS i`,
    [statuses.map(() => randomUUID()), tenantId, '2026-01-01T00:00:00Z', statuses, pushed],
  );
}

/** The lines of the fleet-wide metrics that must not move when history is pruned (lag is time-based). */
function totals(text: string): string[] {
  return text.split('\n').filter((l) => /^tightknit_(runs|records_pushed)\{/.test(l));
}

describe('run_attempts keeps a bounded history per tenant', () => {
  let pool: Pool;
  let acme: number;
  let beta: number;
  afterAll(async () => pool.end());
  const pg = usePostgres();
  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    [acme, beta] = await addTenants(pool, 'acme', 'beta');
    // The queue's tables, which /metrics reads.
    await (await RunQueue.open(pg.url)).stop();
  });
  const rowsOf = async (tenantId: number) =>
    (
      await pool.query<{ status: string; started_at: Date }>(
        'SELECT status, started_at FROM run_attempts WHERE tenant_id = $1 ORDER BY started_at',
        [tenantId],
      )
    ).rows;

  it('deletes the oldest finished attempts past the limit, never a running one nor the newest success; totals stay', async () => {
    // 30 attempts: one success early on (index 2), an old attempt still running (index 0), failures since.
    const statuses = Array.from({ length: 30 }, (_, i) => (i === 0 ? 'Running' : i === 2 ? 'Succeeded' : 'Failed'));
    await seed(pool, acme, statuses);
    await seed(
      pool,
      beta,
      Array.from({ length: 30 }, () => 'Succeeded'),
    );
    const metrics = new FleetMetrics(pool);
    const before = totals(await metrics.scrape());
    expect(before).toContain('tightknit_records_pushed{tenant="acme"} 58');

    expect(await pruneAttempts(pool, acme, 10)).toBe(30 - 1 - 1 - 10);
    const kept = await rowsOf(acme);
    expect(kept).toHaveLength(12);
    expect(kept[0].status).toBe('Running');
    expect(kept[1].status).toBe('Succeeded');
    expect(kept.slice(2).every((r) => r.status === 'Failed')).toBe(true);
    // The ten newest finished ones are those kept.
    expect(kept[2].started_at.toISOString()).toBe('2026-01-01T00:20:00.000Z');
    expect(await rowsOf(beta)).toHaveLength(30);
    expect(totals(await metrics.scrape())).toEqual(before);

    // Again: nothing more to prune. Another tenant's prune moves its counts only.
    expect(await pruneAttempts(pool, acme, 10)).toBe(0);
    expect(await pruneAttempts(pool, beta, 5)).toBe(25);
    expect(await rowsOf(beta)).toHaveLength(5);
    expect(totals(await metrics.scrape())).toEqual(before);
    const pruned = await pool.query<{ tenant_id: string; status: string; attempts: string; records_pushed: string }>(
      'SELECT tenant_id, status, attempts, records_pushed FROM run_attempts_pruned ORDER BY tenant_id, status',
    );
    expect(
      pruned.rows.map((r) => [Number(r.tenant_id), r.status, Number(r.attempts), Number(r.records_pushed)]),
    ).toEqual([
      [acme, 'Failed', 18, 36],
      [beta, 'Succeeded', 25, 50],
    ]);
  });

  it('a worker prunes its tenant after each run, to the newest ATTEMPTS_KEPT', async () => {
    await seed(
      pool,
      beta,
      Array.from({ length: ATTEMPTS_KEPT + 20 }, () => 'Failed'),
      0,
    );
    const proc = await startServerProcess({
      url: pg.url,
      runner: ledgerRunner({ holdMs: 10 }),
      log: captureLog().log,
      concurrency: 1,
      tuning: FAST,
    });
    const queue = await RunQueue.open(pg.url);
    try {
      const jobId = await queue.enqueue({ tenantId: beta, type: 'incremental' });
      await until(async () => {
        const { rows } = await pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM run_attempts WHERE tenant_id = $1
            AND (SELECT status FROM run_attempts WHERE job_id = $2) = 'Succeeded'`,
          [beta, jobId],
        );
        return Number(rows[0].n) === ATTEMPTS_KEPT;
      }, 30);
    } finally {
      await queue.stop();
      await proc.stop();
    }
    // The run just made is among those kept.
    const newest = await pool.query<{ status: string }>(
      'SELECT status FROM run_attempts WHERE tenant_id = $1 ORDER BY started_at DESC LIMIT 1',
      [beta],
    );
    expect(newest.rows[0].status).toBe('Succeeded');
  }, 60_000);

  it('a job given out again after its run finished (its completion lost with the database) does not run twice', async () => {
    const queue = await RunQueue.open(pg.url);
    // Queued while no worker runs; an earlier attempt of it is on record as Succeeded (run 41).
    const jobId = await queue.enqueue({ tenantId: acme, type: 'backfill' });
    await pool.query(
      `INSERT INTO run_attempts (job_id, attempt, tenant_id, type, finished_at, status, run_id, worker)
       VALUES ($1, 0, $2, 'backfill', now(), 'Succeeded', 41, 'gone')`,
      [jobId, acme],
    );
    const started: string[] = [];
    const { log, lines } = captureLog();
    const proc = await startServerProcess({
      url: pg.url,
      runner: ledgerRunner({ holdMs: 10, onStart: (input) => started.push(input.tenant.name) }),
      log,
      concurrency: 1,
      tuning: FAST,
    });
    try {
      const state = async () =>
        (await pool.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [jobId])).rows[0]?.state;
      await until(async () => (await state()) === 'completed', 30);
    } finally {
      await queue.stop();
      await proc.stop();
    }
    expect(started).toEqual([]);
    const rows = await pool.query<{ attempt: number; status: string }>(
      'SELECT attempt, status FROM run_attempts WHERE job_id = $1',
      [jobId],
    );
    expect(rows.rows).toEqual([{ attempt: 0, status: 'Succeeded' }]);
    const entry = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.run === 41);
    expect(entry?.msg).toBe('run not repeated: an earlier attempt of this job finished it');
  }, 60_000);
});
