import type { Command } from 'commander';
import { setPaused } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { cliSupport, withStateLocation } from '../server-mode';

export function register(program: Command): void {
  program
    .command('pause')
    .description('stop scheduled syncs without disconnecting (a running `start` obeys on its next tick)')
    .option('--reason <text>', 'a note for the history')
    .action(async (flags: { reason?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      // A tenant: its registry status, which the schedulers of `serve` obey (a running pass finishes).
      const r = await withStateLocation<{ changed: boolean }>(cmd, (where) =>
        where.kind === 'tenant'
          ? cliSupport()
              .setTenantPaused(where.pool, where.tenant, true, flags.reason)
              .then(async (r) => {
                if (r.changed)
                  await cliSupport().auditCli(where.pool, where.tenant.id, 'pause', { reason: flags.reason ?? null });
                return r;
              })
          : setPaused({ stateDir: where.stateDir, paused: true, reason: flags.reason }),
      );
      printResult(opts, r, () =>
        r.changed ? 'Scheduled syncs paused. Resume with `tightknit-sync resume`.' : 'Already paused.',
      );
    });
}
