import type { Command } from 'commander';
import {
  CheckItem,
  CheckReport,
  checksFailed,
  hasCredentials,
  loadConfig,
  openConnection,
  runChecks,
  runStoredSlackChecks,
  withSlackChecks,
} from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { checkTenantConnection } from './tenant-connect';
import { inServerMode } from './tenant-runs';

const MARK: Record<CheckItem['status'], string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

export function formatChecks(r: CheckReport): string {
  const lines = [`Connection test as ${r.username ?? 'the connected user'}:`];
  for (const c of r.checks) {
    lines.push(`${MARK[c.status]} ${c.label}: ${c.detail}`);
    if (c.fix && c.status !== 'pass') lines.push(`    Fix: ${c.fix}`);
  }
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('check')
    .description('connection test as the integration user; each failed check says how to fix it')
    .option(
      '--include-private',
      'also require the Slack scopes for private channels (groups:read, groups:history); default: as configured',
    )
    .action(async (flags: { includePrivate?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const show = (report: CheckReport): void => {
        if (!report.ok) {
          // With --json the error envelope (failed checks and their fixes) is the one object printed.
          if (!opts.json && !opts.quiet) process.stdout.write(`${formatChecks(report)}\n`);
          throw checksFailed(report);
        }
        printResult(opts, report, () => formatChecks(report));
      };
      if (inServerMode(cmd)) return checkTenantConnection(cmd, flags.includePrivate, show);
      const config = loadConfig(opts.stateDir);
      // The Slack checks when a workspace is connected; the org checks unless only Slack is connected.
      // Private channels' scopes are needed when the configuration reads them (or the flag asks).
      const includePrivate = flags.includePrivate ?? config.slack.includePrivate;
      const slack = await runStoredSlackChecks({
        stateDir: opts.stateDir,
        includePrivate,
        events: config.slack.events,
      });
      const orgReport: CheckReport =
        slack.length > 0 && !hasCredentials(opts.stateDir)
          ? { ok: true, checks: [] }
          : await runChecks({
              connection: (await openConnection({ stateDir: opts.stateDir })).connection,
              config,
              stateDir: opts.stateDir,
            });
      show(withSlackChecks(orgReport, slack));
    });
}
