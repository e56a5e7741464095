import type { Command } from 'commander';
import { setPaused } from '../../sync/ops/pause-resume';
import { GlobalOptions, printResult } from '../output';

export function register(program: Command): void {
  program
    .command('pause')
    .description('stop scheduled syncs without disconnecting (a running `start` obeys on its next tick)')
    .option('--reason <text>', 'a note for the history')
    .action(async (flags: { reason?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const r = await setPaused({ stateDir: opts.stateDir, paused: true, reason: flags.reason });
      printResult(opts, r, () =>
        r.changed ? 'Scheduled syncs paused. Resume with `tightknit-sync resume`.' : 'Already paused.',
      );
    });
}
