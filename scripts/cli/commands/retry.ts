import type { Command } from 'commander';
import { getRun, retryFailedRecords, UsageError } from '../../sync';
import { GlobalOptions } from '../output';
import { cliSupport } from '../server-mode';
import { runFromCli } from './sync';
import { inServerMode, queueTenantRun } from './tenant-runs';

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
      const runId = Number(runIdText);
      if (inServerMode(cmd)) {
        // The run must exist in the tenant's history before a worker is asked to retry it.
        return queueTenantRun(cmd, opts, async ({ pool, tenant }) => {
          await getRun(cliSupport().openTenantStore(pool, tenant), runId);
          return { type: 'retry', retryOf: runId };
        });
      }
      await runFromCli(opts, (hooks) => retryFailedRecords({ stateDir: opts.stateDir, runId, ...hooks }));
    });
}
