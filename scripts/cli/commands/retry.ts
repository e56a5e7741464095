import type { Command } from 'commander';
import { UsageError } from '../../sync/errors';
import { retryFailedRecords, runExitCode } from '../../sync/ops/run';
import { GlobalOptions, printResult } from '../output';
import { createProgressRenderer, formatRun, stopOnSignals } from './sync';

export function register(program: Command): void {
  program
    .command('retry')
    .description('re-push the failed records of a run (after fixing the cause)')
    .argument('<run-id>', 'the run number shown by `history`')
    .action(async (runIdText: string, _flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      if (!/^\d+$/.test(runIdText)) {
        throw new UsageError('INVALID_RUN_ID', `"${runIdText}" is not a run number.`, {
          actions: ['See the run numbers with `tightknit-sync history`.'],
        });
      }
      const progress = createProgressRenderer(opts);
      const stop = stopOnSignals(() => process.stderr.write('\nStopping after the current step…\n'));
      try {
        const summary = await retryFailedRecords({
          stateDir: opts.stateDir,
          runId: Number(runIdText),
          onProgress: progress.onProgress,
          signal: stop.signal,
        });
        progress.stop();
        printResult(opts, summary, () => formatRun(summary));
        process.exitCode = runExitCode(summary);
      } finally {
        progress.stop();
        stop.dispose();
      }
    });
}
