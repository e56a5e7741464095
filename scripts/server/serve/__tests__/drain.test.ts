import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { RunQueue } from '../../queue/runs';
import { FAST, addTenants, attempts, ledgerRuns, until } from './support';

const ROOT = join(__dirname, '..', '..', '..', '..');
const FIXTURE = join(__dirname, 'drain-worker.fixture.ts');

interface Child {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
}

/** Starts a process (node --import tsx …) that logs JSON lines; resolves once it logs `worker started`. */
function start(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: 'pipe', env });
  const lines: Record<string, unknown>[] = [];
  let err = '';
  let partial = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      const text = partial + d.toString();
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      for (const p of parts.filter(Boolean)) lines.push(JSON.parse(p) as Record<string, unknown>);
      if (lines.some((l) => l.msg === 'worker started')) resolve({ child, lines, exited });
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before it started: ${err}`)));
    setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not started within 60 s: ${err}`));
    }, 60_000).unref();
  });
}

async function stopWithSigterm(w: Child): Promise<{ code: number | null; seconds: number }> {
  const t0 = Date.now();
  w.child.kill('SIGTERM');
  const code = await w.exited;
  return { code, seconds: (Date.now() - t0) / 1000 };
}

describe('worker processes: SIGTERM drains', () => {
  let pool: Pool;
  let queue: RunQueue;
  let ids: number[];
  afterAll(async () => {
    await queue.stop();
    await pool.end();
  });
  const pg = usePostgres();
  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    ids = await addTenants(pool, 'acme', 'beta', 'gamma');
    queue = await RunQueue.open(pg.url, FAST.queue);
  });

  it('stops mid-run within 30 s, exit 0, and the job is handed back: another worker runs it at once', async () => {
    const first = await start([FIXTURE, pg.url, '600000']);
    const jobId = await queue.enqueue({ tenantId: ids[0], type: 'backfill' });
    await until(async () => first.lines.some((l) => l.msg === 'test pass started'), 30);
    const stopped = await stopWithSigterm(first);
    expect(stopped.code).toBe(0);
    expect(stopped.seconds).toBeLessThan(30);
    expect(first.lines.find((l) => l.msg === 'run handed back')).toMatchObject({ tenant: 'acme', job: jobId });

    const second = await start([FIXTURE, pg.url, '100']);
    const startedAt = Date.now();
    try {
      const rows = await until(async () => {
        const r = await attempts(pool, ids[0]);
        return r.length === 2 && r[1].status === 'Succeeded' && r;
      }, 30);
      // Handed back, not left to the retry delay or the heartbeat: picked up within seconds.
      expect((Date.now() - startedAt) / 1000).toBeLessThan(10);
      expect(rows.map((r) => [r.job_id, r.status])).toEqual([
        [jobId, 'HandedBack'],
        [jobId, 'Succeeded'],
      ]);
      expect(await ledgerRuns(pool, ids[0])).toEqual([
        { type: 'backfill', status: 'Stopped' },
        { type: 'backfill', status: 'Succeeded' },
      ]);
      // The attempt is recorded just before pg-boss completes the job.
      const job = await until(async () => {
        const r = await pool.query<{ state: string; retry_count: number; retry_limit: number }>(
          'SELECT state, retry_count, retry_limit FROM pgboss.job WHERE id = $1',
          [jobId],
        );
        return r.rows[0]?.state === 'completed' && r;
      }, 10);
      // The drained attempt did not use up a retry: the limit grew with the count.
      expect(job.rows[0]).toEqual({ state: 'completed', retry_count: 1, retry_limit: 6 });
    } finally {
      expect((await stopWithSigterm(second)).code).toBe(0);
    }
  }, 120_000);

  it('a pass that ignores its signal: the drain still ends in time; the job is retried after the retry delay', async () => {
    const stubborn = await start([FIXTURE, pg.url, '600000', '2000']);
    const jobId = await queue.enqueue({ tenantId: ids[1], type: 'incremental' });
    await until(async () => stubborn.lines.some((l) => l.msg === 'test pass started'), 30);
    const stopped = await stopWithSigterm(stubborn);
    expect(stopped.code).toBe(0);
    expect(stopped.seconds).toBeLessThan(10);
    const second = await start([FIXTURE, pg.url, '100']);
    try {
      await until(async () => (await attempts(pool, ids[1])).some((r) => r.status === 'Succeeded'), 30);
      await until(async () => {
        const job = await pool.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [jobId]);
        return job.rows[0]?.state === 'completed';
      }, 10);
    } finally {
      await stopWithSigterm(second);
    }
  }, 120_000);

  it('`tightknit-sync worker`: the production pass of a tenant with no org fails for good with the fix; SIGTERM exits 0', async () => {
    const cli = join(ROOT, 'scripts', 'cli', 'main.ts');
    const env = { ...process.env, TIGHTKNIT_MASTER_KEY: randomBytes(32).toString('base64') };
    const worker = await start([cli, '--database', pg.url, 'worker', '--concurrency', '1'], env);
    const jobId = await queue.enqueue({ tenantId: ids[2], type: 'backfill' });
    const failed = await until(async () => worker.lines.find((l) => l.msg === 'run failed'), 30);
    expect(failed).toMatchObject({ tenant: 'gamma', final: true, err: { code: 'NOT_CONNECTED' } });
    const [attempt] = await attempts(pool, ids[2]);
    expect(attempt).toMatchObject({ status: 'Failed' });
    expect(attempt.message).toContain("No org is connected for tenant 'gamma'.");
    // A refusal no retry mends: the job failed once, for good.
    await until(async () => {
      const job = await pool.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [jobId]);
      return job.rows[0]?.state === 'failed';
    }, 10);
    const stopped = await stopWithSigterm(worker);
    expect(stopped).toMatchObject({ code: 0 });
  }, 120_000);
});
