import type { Command } from 'commander';
import { loadConfig } from '../../sync/config';
import { openConnection } from '../../sync/connection/open';
import { CheckItem, CheckReport, runChecks } from '../../sync/ops/check';
import { checksFailed } from '../../sync/ops/preflight';
import { GlobalOptions, printResult } from '../output';

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
    .action(async (_flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const config = loadConfig(opts.stateDir);
      const { connection } = await openConnection({ stateDir: opts.stateDir });
      const report = await runChecks({ connection, config });
      printResult(opts, report, () => formatChecks(report));
      if (!report.ok) throw checksFailed(report);
    });
}
