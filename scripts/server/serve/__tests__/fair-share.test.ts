import { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { RunQueue } from '../../queue/runs';
import { startServerProcess } from '../process';
import type { TenantPassRunner } from '../runner';
import { ledgerRunner } from './ledger-runner';
import { FAST, addTenants, captureLog, until } from './support';

/**
 * The fair share per worker: large backfills run on at most concurrency − 1 of a worker's loops, so
 * small tenants' runs go on beside them. One worker with two loops; three large backfills and four
 * small runs queued at once, the large ones first.
 */
describe('a worker’s fair share between large backfills and small tenants', () => {
  let pool: Pool;
  let ids: number[];
  afterAll(async () => pool.end());
  const pg = usePostgres();
  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    ids = await addTenants(pool, 'big-1', 'big-2', 'big-3', 'small-1', 'small-2', 'small-3', 'small-4');
  });

  it('keeps one loop for the small tenants: they all finish before the first large backfill does, and the large ones run one at a time', async () => {
    const events: Array<{ tenant: string; at: number; what: 'start' | 'end' }> = [];
    const big = ledgerRunner({ holdMs: 5000 });
    const small = ledgerRunner({ holdMs: 100 });
    const runner: TenantPassRunner = {
      run: async (input) => {
        events.push({ tenant: input.tenant.name, at: Date.now(), what: 'start' });
        try {
          return await (input.tenant.name.startsWith('big') ? big : small).run(input);
        } finally {
          events.push({ tenant: input.tenant.name, at: Date.now(), what: 'end' });
        }
      },
      isLarge: async (input) => input.tenant.name.startsWith('big') && input.request.type === 'backfill',
    };
    const { log, lines } = captureLog();
    const proc = await startServerProcess({
      url: pg.url,
      runner,
      log,
      concurrency: 2,
      tuning: { ...FAST, deferSeconds: 2 },
    });
    const queue = await RunQueue.open(pg.url);
    try {
      for (const id of ids.slice(0, 3)) await queue.enqueue({ tenantId: id, type: 'backfill' });
      for (const id of ids.slice(3)) await queue.enqueue({ tenantId: id, type: 'incremental' });
      await until(async () => events.filter((e) => e.what === 'end').length === ids.length, 60);
    } finally {
      await queue.stop();
      await proc.stop();
    }
    const ends = (prefix: string) =>
      events.filter((e) => e.what === 'end' && e.tenant.startsWith(prefix)).map((e) => e.at);
    expect(ends('small')).toHaveLength(4);
    expect(ends('big')).toHaveLength(3);
    expect(Math.max(...ends('small'))).toBeLessThan(Math.min(...ends('big')));
    // Never two large backfills at once in this worker.
    let running = 0;
    let most = 0;
    for (const e of events.filter((x) => x.tenant.startsWith('big'))) {
      running += e.what === 'start' ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).toBe(1);
    // Each large backfill ran once (deferring is not an attempt) and was deferred at least once on the way.
    const { rows } = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM run_attempts WHERE type = 'backfill' AND status = 'Succeeded'",
    );
    expect(rows[0].n).toBe(3);
    const deferred = lines.filter((l) => l.includes('large backfill deferred'));
    expect(deferred.length).toBeGreaterThan(0);
    expect(JSON.parse(deferred[0])).toMatchObject({ type: 'backfill', seconds: 2 });
  }, 90_000);
});
