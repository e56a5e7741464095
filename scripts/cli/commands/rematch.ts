import type { Command } from 'commander';
import { syncOnce } from '../../sync';
import { GlobalOptions } from '../output';
import { runFromCli } from './sync';
import { inServerMode, queueTenantRun } from './tenant-runs';

export function register(program: Command): void {
  program
    .command('rematch')
    .description(
      'look every unlocked member up again with the current match rules and push the links that change (after changing the rules)',
    )
    .action(async (_flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      if (inServerMode(cmd)) return queueTenantRun(cmd, opts, () => Promise.resolve({ type: 'rematch' }));
      await runFromCli(opts, (hooks) => syncOnce({ stateDir: opts.stateDir, rematch: true, ...hooks }));
    });
}
