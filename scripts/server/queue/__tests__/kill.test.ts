import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { RunQueue, type RunQueueOptions } from '../runs';

const FIXTURE = join(__dirname, 'hold-worker.fixture.ts');
const ROOT = join(__dirname, '..', '..', '..', '..');
/** Short enough for a test: a silent worker is presumed dead after 10 s (pg-boss's minimum). */
const FAST: RunQueueOptions = { heartbeatSeconds: 10, superviseIntervalSeconds: 1, retryDelaySeconds: 1 };

function startWorker(url: string, holdMs: number): Promise<{ child: ChildProcess; lines: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, url, String(holdMs)], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  const lines: string[] = [];
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      lines.push(...d.toString().trim().split('\n'));
      if (lines.includes('ready')) resolve({ child, lines });
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${err}`)));
  });
}

async function until(check: () => boolean, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 10; i += 1) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${seconds} s`);
}

describe('a worker killed mid-run', () => {
  let pool: Pool;
  afterAll(async () => pool.end());
  const pg = usePostgres();
  beforeAll(() => {
    pool = new Pool({ connectionString: pg.url });
  });

  it('is noticed by its missing heartbeat, and another worker runs the job again', async () => {
    const queue = await RunQueue.open(pg.url, FAST);
    const doomed = await startWorker(pg.url, 600_000);
    const id = await queue.enqueue({ tenantId: 42, type: 'backfill' });
    await until(() => doomed.lines.some((l) => l.startsWith(`start ${id}`)), 20);
    const exited = new Promise((r) => doomed.child.once('exit', r));
    doomed.child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();

    const survivor = await startWorker(pg.url, 100);
    try {
      await until(() => survivor.lines.some((l) => l.startsWith(`done ${id}`)), 60);
    } finally {
      const gone = new Promise((r) => survivor.child.once('exit', r));
      survivor.child.kill('SIGTERM');
      await gone;
      await queue.stop();
    }
    const retriedAfter = (Date.now() - killedAt) / 1000;
    const { rows } = await pool.query<{ state: string; retry_count: number }>(
      'SELECT state, retry_count FROM pgboss.job WHERE id = $1',
      [id],
    );
    expect(rows[0]).toEqual({ state: 'completed', retry_count: 1 });
    // The heartbeat (10 s) plus a supervise pass and the first retry delay, not pg-boss's 15-minute expiry.
    expect(retriedAfter).toBeLessThan(40);
  }, 120_000);
});
