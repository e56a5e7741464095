import { RunQueue } from '../runs';

/**
 * A worker for the kill test: works runs with the test's short heartbeat, holding each for the
 * given milliseconds, and prints `start <job id>` / `done <job id>`. Prints "ready" once working.
 */
const [url, hold] = process.argv.slice(2);

async function main(): Promise<void> {
  const queue = await RunQueue.open(url, { heartbeatSeconds: 10, superviseIntervalSeconds: 1, retryDelaySeconds: 1 });
  await queue.work(
    async (_request, job) => {
      process.stdout.write(`start ${job.id}\n`);
      await new Promise((r) => setTimeout(r, Number(hold)));
      process.stdout.write(`done ${job.id}\n`);
    },
    { concurrency: 1, pollingIntervalSeconds: 0.5 },
  );
  process.on('SIGTERM', () => void queue.stop(1000).then(() => process.exit(0)));
  process.stdout.write('ready\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
