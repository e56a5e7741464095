import type { Command } from 'commander';
import { setPaused } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { cliSupport, withStateLocation } from '../server-mode';

export function register(program: Command): void {
  program
    .command('resume')
    .description('restart scheduled syncs after `pause`')
    .action(async (_flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const r = await withStateLocation<{ changed: boolean }>(cmd, (where) =>
        where.kind === 'tenant'
          ? cliSupport()
              .setTenantPaused(where.pool, where.tenant, false)
              .then(async (r) => {
                if (r.changed) await cliSupport().auditCli(where.pool, where.tenant.id, 'resume', {});
                return r;
              })
          : setPaused({ stateDir: where.stateDir, paused: false }),
      );
      printResult(opts, r, () => (r.changed ? 'Scheduled syncs resumed.' : 'Not paused.'));
    });
}
