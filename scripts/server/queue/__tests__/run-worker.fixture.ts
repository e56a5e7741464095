import { PgBoss } from 'pg-boss';
import { Pool } from 'pg';
import { RunQueue } from '../runs';

/**
 * A worker process for the queue tests: works runs and records each one's start and end (in
 * run_log, with the database's clock), holding each run 400 ms, two at a time. Mode `runs` uses the tenant run
 * queue; mode `control` a plain pg-boss queue without the per-tenant singleton (the test's control).
 * Prints "ready" once working; stops on SIGTERM.
 */
const [url, mode] = process.argv.slice(2);
const pool = new Pool({ connectionString: url, max: 4 });

async function record(tenantId: number): Promise<void> {
  const { rows } = await pool.query<{ id: number }>(
    'INSERT INTO run_log (tenant_id, pid, started_at) VALUES ($1, $2, clock_timestamp()) RETURNING id',
    [tenantId, process.pid],
  );
  await new Promise((r) => setTimeout(r, 400));
  await pool.query('UPDATE run_log SET finished_at = clock_timestamp() WHERE id = $1', [rows[0].id]);
}

async function main(): Promise<void> {
  let stop: () => Promise<void>;
  if (mode === 'control') {
    const boss = new PgBoss({ connectionString: url, schema: 'pgboss' });
    boss.on('error', () => undefined);
    await boss.start();
    await boss.createQueue('control-runs');
    await boss.work<{ tenantId: number }>(
      'control-runs',
      { localConcurrency: 2, pollingIntervalSeconds: 0.5 },
      async (jobs) => {
        for (const job of jobs) await record(job.data.tenantId);
      },
    );
    stop = () => boss.stop({ graceful: true, close: true });
  } else {
    const queue = await RunQueue.open(url);
    await queue.work((req) => record(req.tenantId), { concurrency: 2, pollingIntervalSeconds: 0.5 });
    stop = () => queue.stop();
  }
  process.on('SIGTERM', () => {
    void stop()
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
  process.stdout.write('ready\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
