import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PgBoss } from 'pg-boss';
import { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { RunQueue } from '../runs';

const FIXTURE = join(__dirname, 'run-worker.fixture.ts');
const ROOT = join(__dirname, '..', '..', '..', '..');

function startWorker(url: string, mode: 'runs' | 'control'): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, url, mode], { cwd: ROOT, stdio: 'pipe' });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${err}`)));
  });
}

async function stopWorker(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Per tenant, pairs of runs whose [start, end] intervals overlap: runs of one tenant at the same time. */
const OVERLAPS = `
  SELECT count(*)::int AS n FROM run_log a JOIN run_log b
    ON a.tenant_id = b.tenant_id AND a.id < b.id AND a.started_at < b.finished_at AND b.started_at < a.finished_at
  WHERE a.kind = $1 AND b.kind = $1`;

describe('the tenant run queue (pg-boss)', () => {
  let pool: Pool;
  afterAll(async () => pool.end());
  const pg = usePostgres();
  // Three tenants, four run slots (two processes × two): any four runs started together include two of
  // one tenant, so the control overlaps, and one process alone cannot take every runnable tenant.
  const JOBS = 18;
  const TENANTS = 3;

  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    await pool.query(`CREATE TABLE run_log (
      id serial PRIMARY KEY, kind text NOT NULL DEFAULT 'runs', tenant_id int NOT NULL, pid int NOT NULL,
      started_at timestamptz NOT NULL, finished_at timestamptz)`);
  });

  async function waitForFinished(kind: string, n: number): Promise<void> {
    for (let i = 0; i < 600; i += 1) {
      const { rows } = await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM run_log WHERE kind = $1 AND finished_at IS NOT NULL',
        [kind],
      );
      if (rows[0].n >= n) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`only some of ${n} ${kind} jobs finished`);
  }

  it('two worker processes never run the same tenant at once', async () => {
    const queue = await RunQueue.open(pg.url);
    const workers = await Promise.all([startWorker(pg.url, 'runs'), startWorker(pg.url, 'runs')]);
    try {
      for (let i = 0; i < JOBS; i += 1) await queue.enqueue({ tenantId: 1 + (i % TENANTS), type: 'incremental' });
      await waitForFinished('runs', JOBS);
    } finally {
      await Promise.all(workers.map(stopWorker));
      await queue.stop();
    }
    const { rows } = await pool.query<{ n: number }>(OVERLAPS, ['runs']);
    expect(rows[0].n).toBe(0);
    const byPid = await pool.query<{ pid: number }>("SELECT DISTINCT pid FROM run_log WHERE kind = 'runs'");
    expect(byPid.rowCount).toBe(2);
    // Different tenants did run side by side: the queue serializes per tenant, not globally.
    const parallel = await pool.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM run_log a JOIN run_log b
        ON a.tenant_id <> b.tenant_id AND a.started_at < b.finished_at AND b.started_at < a.finished_at`);
    expect(parallel.rows[0].n).toBeGreaterThan(0);
  }, 120_000);

  it('control: the same workers on a queue without the per-tenant singleton do overlap', async () => {
    await pool.query("ALTER TABLE run_log ALTER COLUMN kind SET DEFAULT 'control'");
    const boss = new PgBoss({ connectionString: pg.url, schema: 'pgboss' });
    boss.on('error', () => undefined);
    await boss.start();
    const workers = await Promise.all([startWorker(pg.url, 'control'), startWorker(pg.url, 'control')]);
    try {
      for (let i = 0; i < JOBS; i += 1) await boss.send('control-runs', { tenantId: 1 + (i % TENANTS) });
      await waitForFinished('control', JOBS);
    } finally {
      await Promise.all(workers.map(stopWorker));
      await boss.stop({ graceful: false, close: true });
    }
    const { rows } = await pool.query<{ n: number }>(OVERLAPS, ['control']);
    expect(rows[0].n).toBeGreaterThan(0);
  }, 120_000);

  it('a job carries the run request only: other fields (a token) never reach the job table', async () => {
    const queue = await RunQueue.open(pg.url);
    try {
      const sneaky = { tenantId: 7, type: 'retry', retryOf: 3, token: 'xoxb-secret' };
      const id = await queue.enqueue(sneaky as unknown as Parameters<RunQueue['enqueue']>[0]);
      const { rows } = await pool.query<{ data: unknown }>('SELECT data FROM pgboss.job WHERE id = $1', [id]);
      expect(rows[0].data).toEqual({ tenantId: 7, type: 'retry', retryOf: 3 });
      const dump = await pool.query<{ t: string }>("SELECT string_agg(data::text, ' ') AS t FROM pgboss.job");
      expect(dump.rows[0].t).not.toContain('xoxb-secret');
      await expect(queue.enqueue({ tenantId: 1.5, type: 'incremental' })).rejects.toThrow('Not a run request');
    } finally {
      await queue.stop();
    }
  });
});
