import type { Command } from 'commander';
import { UsageError } from '../../sync/errors';
import { retryFailedRecords } from '../../sync/ops/run';
import { GlobalOptions } from '../output';
import { runFromCli } from './sync';

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
      await runFromCli(opts, (hooks) =>
        retryFailedRecords({ stateDir: opts.stateDir, runId: Number(runIdText), ...hooks }),
      );
    });
}
