import { createLogger } from '../log';
import { runUntilSignal, startServerProcess } from '../process';
import { ledgerRunner } from './ledger-runner';
import { FAST } from './support';

/**
 * A `worker` process for the drain test: the same process code as `tightknit-sync worker`, with the
 * test's ledger runner holding each pass `holdMs` (or until its signal aborts) and the test's short
 * timings. Logs JSON lines on stdout; exits when the drain is done.
 */
const [url, holdMs, drainWaitMs] = process.argv.slice(2);

async function main(): Promise<void> {
  const log = createLogger();
  const proc = await startServerProcess({
    url,
    runner: ledgerRunner({ holdMs: Number(holdMs), ignoreSignal: drainWaitMs !== undefined }),
    log,
    concurrency: 1,
    tuning: { ...FAST, ...(drainWaitMs ? { drainWaitMs: Number(drainWaitMs) } : {}) },
  });
  await runUntilSignal(proc, log);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
