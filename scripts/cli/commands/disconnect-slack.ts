import type { Command } from 'commander';
import { disconnectSlack } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { disconnectSlackTenant } from './tenant-connect';
import { inServerMode } from './tenant-runs';

export function register(program: Command): void {
  program
    .command('disconnect-slack')
    .description('forget the Slack workspace: delete its stored tokens and signing secret (the store stays)')
    .action(async (_flags: unknown, cmd: Command) => {
      if (inServerMode(cmd)) return disconnectSlackTenant(cmd);
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const r = await disconnectSlack({ stateDir: opts.stateDir });
      printResult(opts, r, () =>
        r.disconnected
          ? [
              `Disconnected Slack workspace ${r.teamName ?? ''} (${r.teamId ?? 'unknown'}): stored tokens and signing secret deleted.`,
              'The tokens stay valid at Slack until you uninstall the app or rotate them (api.slack.com/apps → your app).',
            ].join('\n')
          : 'No Slack workspace was connected.',
      );
    });
}
