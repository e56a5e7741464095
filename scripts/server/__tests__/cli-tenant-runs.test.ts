import { Writable } from 'node:stream';
import { Pool } from 'pg';
import { usePostgres } from '../../test-support/postgres';
import { RunQueue, type RunRequest } from '../queue/runs';
import { createLogger } from '../serve/log';
import type { TenantPassRunner } from '../serve/runner';
import { Worker } from '../serve/worker';
import { PgStore } from '../store';
import { findTenant } from '../tenants';
import { cliHarness } from './cli-helpers';

/**
 * A pass of this test's own: records a ledger run of the requested type in the tenant's store with
 * 2 members processed, 1 failed (so the CLI's exit code 1 and its summary can be checked), and
 * remembers every request a worker handed it.
 */
function recordingRunner(seen: RunRequest[]): TenantPassRunner {
  return {
    run: async ({ pool, tenant, request }) => {
      seen.push(request);
      const store = PgStore.open(pool, tenant.id, tenant.name);
      const runId = await store.ledger.startRun(request.type, request.retryOf ?? null);
      await store.ledger.addCounts(runId, 'member', { processed: 2, succeeded: 1, failed: 1 });
      await store.ledger.finishRun(runId, 'PartiallyFailed', null, 4);
      return { runId, status: 'PartiallyFailed', counts: { member: (await store.ledger.runCounts(runId)).member } };
    },
  };
}

describe('start, pause, resume, sync, retry and rematch per tenant', () => {
  let pool: Pool;
  let worker: Worker | undefined;
  afterAll(async () => {
    await worker?.drain(2000);
    await pool.end();
  });
  const pg = usePostgres();
  const { run, json } = cliHarness();
  const acme = (...args: string[]) => run('--database', pg.url, '--tenant', 'acme', ...args);
  const seen: RunRequest[] = [];

  beforeAll(() => {
    pool = new Pool({ connectionString: pg.url });
  });

  it("start turns the tenant's schedule on and returns at once; the first run is a backfill", async () => {
    expect((await run('--database', pg.url, 'tenants', 'add', 'acme')).code).toBe(0);
    const r = await acme('start', '--json');
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ schedule: { enabled: true, intervalMinutes: 5 }, firstRun: 'backfill' });
    const { id } = await findTenant(pool, 'acme');
    const { rows } = await pool.query<{ enabled: boolean }>(
      'SELECT enabled FROM tenant_schedules WHERE tenant_id = $1',
      [id],
    );
    expect(rows[0].enabled).toBe(true);
    const socket = await acme('start', '--socket-mode');
    expect(socket.code).toBe(2);
    expect(socket.text).toContain('`serve` receives the Slack Events API');
  });

  it("pause and resume set the tenant's status and record it in its history", async () => {
    expect((await acme('pause', '--reason', 'org maintenance')).text).toContain('Scheduled syncs paused.');
    expect((await findTenant(pool, 'acme')).status).toBe('paused');
    expect((await acme('pause')).text.trim()).toBe('Already paused.');
    const history = json<{ events: Array<{ type: string; message: string }> }>(await acme('history', '--json'));
    expect(history.events).toContainEqual(
      expect.objectContaining({ type: 'paused', message: 'Scheduled syncs paused: org maintenance.' }),
    );
    expect((await acme('resume')).text.trim()).toBe('Scheduled syncs resumed.');
    expect((await findTenant(pool, 'acme')).status).toBe('active');
    expect((await acme('resume')).text.trim()).toBe('Not paused.');
  });

  it('sync --no-wait queues one run (ids and a type only in the job) and returns', async () => {
    const r = await acme('sync', '--no-wait', '--json');
    expect(r.code).toBe(0);
    const queued = json<{ jobId: string; type: string }>(r);
    expect(queued.type).toBe('backfill');
    const { rows } = await pool.query<{ data: unknown }>('SELECT data FROM pgboss.job WHERE id = $1', [queued.jobId]);
    const { id } = await findTenant(pool, 'acme');
    expect(rows[0].data).toEqual({ tenantId: id, type: 'backfill' });
    const embedded = await run('sync', '--no-wait');
    expect(embedded.code).toBe(2);
    expect(embedded.text).toContain('--no-wait applies in server mode only');
  });

  it("sync, retry and rematch wait for a worker's result and print it as the embedded commands do", async () => {
    const queue = await RunQueue.open(pg.url);
    const silent = new Writable({ write: (_c, _e, done) => done() });
    worker = await Worker.start({
      pool,
      queue,
      runner: recordingRunner(seen),
      log: createLogger(silent),
      concurrency: 1,
      pollingIntervalSeconds: 0.5,
    });
    const synced = await acme('sync', '--backfill');
    expect(synced.code).toBe(1);
    expect(synced.text).toMatch(/Run #(\d+) \(backfill\) PartiallyFailed in [\d.]+ s, 4 API calls/);
    expect(synced.text).toContain('Members     1/2 succeeded (1 failed)');
    const runId = Number(/Run #(\d+)/.exec(synced.text)?.[1]);

    const retried = await acme('retry', String(runId), '--json');
    expect(retried.code).toBe(1);
    expect(json(retried)).toMatchObject({
      type: 'retry',
      status: 'PartiallyFailed',
      objects: { member: { failed: 1 } },
    });
    expect(seen.at(-1)).toMatchObject({ type: 'retry', retryOf: runId });

    const rematched = await acme('rematch');
    expect(rematched.text).toMatch(/Run #\d+ \(rematch\) PartiallyFailed/);
    // The --no-wait run of the previous test ran too, before these.
    expect(seen.map((r) => r.type)).toEqual(['backfill', 'backfill', 'retry', 'rematch']);

    const missing = await acme('retry', '999');
    expect(missing.code).toBe(2);
    expect(missing.text).toContain('There is no run 999 in the sync history.');
  }, 60_000);
});
