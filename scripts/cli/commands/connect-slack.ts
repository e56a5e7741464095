import type { Command } from 'commander';
import { connectSlack, REQUIRED_SLACK_SCOPES, SLACK_ENV, slackCredentialsPath } from '../../sync';
import { GlobalOptions, printResult, warn } from '../output';
import { connectSlackTenant } from './tenant-connect';
import { inServerMode } from './tenant-runs';

export function register(program: Command): void {
  program
    .command('connect-slack')
    .description(
      `connect a Slack workspace (token from ${SLACK_ENV.botToken}); checks it with auth.test, stores it encrypted`,
    )
    .action(async (_flags: unknown, cmd: Command) => {
      if (inServerMode(cmd)) return connectSlackTenant(cmd);
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const say = (line: string): void => {
        if (!opts.quiet) process.stderr.write(`${line}\n`);
      };
      const r = await connectSlack({ stateDir: opts.stateDir, onProgress: say });
      if (r.warning) warn(opts, r.warning);
      const missing = r.scopes ? REQUIRED_SLACK_SCOPES.map((s) => s.scope).filter((s) => !r.scopes?.includes(s)) : [];
      printResult(
        opts,
        { connected: true, ...r.info, keySource: r.keySource, scopes: r.scopes, missingScopes: missing },
        () =>
          [
            `Connected Slack workspace ${r.info.teamName} (${r.info.teamId}${r.info.domain ? `, ${r.info.domain}.slack.com` : ''}).`,
            `Secrets stored encrypted (AES-256-GCM, key from ${r.keySource}) in ${slackCredentialsPath(opts.stateDir)}.`,
            `Events: ${
              [
                r.info.hasSigningSecret && 'signing secret (listen)',
                r.info.hasAppToken && 'app-level token (listen --socket-mode)',
              ]
                .filter(Boolean)
                .join(', ') || `none stored — set ${SLACK_ENV.signingSecret} or ${SLACK_ENV.appToken} to receive events`
            }${r.kept.length ? ' (kept from the previous connection)' : ''}.`,
            missing.length
              ? `Missing bot token scopes: ${missing.join(', ')} — \`tightknit-sync check\` says how to add each.`
              : 'Next: tightknit-sync check, then tightknit-sync listen.',
          ].join('\n'),
      );
    });
}
