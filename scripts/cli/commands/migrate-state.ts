import type { Command } from 'commander';
import type { MigrateStateResult } from '../../server';
import { UsageError } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { serverModule, withServerDatabase } from '../server-mode';

const TABLE_GROUPS: Array<[string, RegExp]> = [
  [
    'community data (communities, members, activities, source files)',
    /^(communities|members|activities|source_files)$/,
  ],
  ['sync history and ledger (runs, jobs, records, watermarks, links, events)', /^ledger_(?!match)/],
  ['matching ledger', /^ledger_match_/],
  ['Slack inbox, receivers and cursors', /^slack_/],
  ['feed positions and source settings', /^(feed_follow|live_source_state)$/],
];

function report(r: MigrateStateResult): string {
  const entries = Object.entries(r.rows);
  const lines = [`Moved ${r.stateDir} into tenant '${r.tenant}' (one transaction):`];
  for (const [label, pattern] of TABLE_GROUPS) {
    const parts = entries.filter(([t]) => pattern.test(t) && r.rows[t as keyof typeof r.rows] > 0);
    const total = parts.reduce((n, [, c]) => n + c, 0);
    const detail = parts.map(([t, c]) => `${t} ${c}`).join(', ');
    lines.push(`  ${label}: ${total} rows${detail ? ` (${detail})` : ''}`);
  }
  lines.push(`  change sequence: continues after ${r.lastSeq} (watermarks kept: nothing already pushed is sent again)`);
  lines.push('  configuration: version 1 of the tenant');
  lines.push(`  org credentials: ${r.orgCredentials ? 'sealed with the tenant’s data key' : 'none (not connected)'}`);
  lines.push(`  Slack credentials: ${r.slackCredentials ? 'sealed with the tenant’s data key' : 'none'}`);
  lines.push('', 'Next:', ...r.next.map((s, i) => `  ${i + 1}. ${s}`));
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('migrate-state')
    .description(
      'server mode: move a state directory (store, history, credentials, configuration) into an empty tenant',
    )
    .action(async (_flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions & { tenant?: string }>();
      if (!opts.tenant) {
        throw new UsageError(
          'TENANT_REQUIRED',
          '`migrate-state` moves a state directory into a tenant: give --tenant <name> (add one with `tightknit-sync tenants add <name>`).',
        );
      }
      const tenant = opts.tenant;
      const { migrateState, resolveMasterKeys } = serverModule();
      const keys = resolveMasterKeys();
      const r = await withServerDatabase(cmd, (pool) =>
        migrateState({ pool, keys, tenant, stateKey: { stateDir: opts.stateDir } }),
      );
      printResult(opts, r, () => report(r));
    });
}
