import type { Command } from 'commander';
import { disconnect } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { disconnectTenant } from './tenant-connect';
import { inServerMode } from './tenant-runs';

export function register(program: Command): void {
  program
    .command('disconnect')
    .description('revoke the token at the org and forget the connection (the store and history stay)')
    .action(async (_flags: unknown, cmd: Command) => {
      if (inServerMode(cmd)) return disconnectTenant(cmd);
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const r = await disconnect({ stateDir: opts.stateDir });
      printResult(opts, r, () =>
        [
          `Disconnected from ${r.instanceUrl}${r.username ? ` (${r.username})` : ''}.`,
          r.revoked ? 'The token was revoked at the org.' : (r.note ?? 'No token to revoke.'),
          'Stored credentials deleted; the local store and sync history are kept.',
        ].join('\n'),
      );
    });
}
