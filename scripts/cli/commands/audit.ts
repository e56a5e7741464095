import type { Command } from 'commander';
import type { AuditRow } from '../../server';
import { UsageError } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { serverModule, withServerDatabase } from '../server-mode';

interface Options extends GlobalOptions {
  tenant?: string;
}

function lines(rows: AuditRow[]): string {
  if (rows.length === 0) return 'No audit entries match.';
  return rows
    .map((r) => {
      const details = Object.keys(r.details).length ? ` ${JSON.stringify(r.details)}` : '';
      return `${r.at}  ${r.tenant ?? '(operator)'}  ${r.actor}  ${r.action}${r.ip ? `  from ${r.ip}` : ''}${details}`;
    })
    .join('\n');
}

export function register(program: Command): void {
  program
    .command('audit')
    .description('server mode: the audit trail (who changed what, when, from where), newest first')
    .option('--since <when>', 'only entries since an ISO date/time or a duration back from now (30m, 12h, 7d)')
    .option('--actor <actor>', 'only entries by this person (email), cli:<user> or worker')
    .option('--action <action>', 'only entries of this action (e.g. people.set-role, signin.failed)')
    .option('--limit <n>', 'at most this many entries (default 200, at most 1000)')
    .action(async (flags: { since?: string; actor?: string; action?: string; limit?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Options>();
      const { findTenant, listAudit, parseSince } = serverModule();
      const since = flags.since === undefined ? undefined : parseSince(flags.since);
      const limit = flags.limit === undefined ? undefined : Number(flags.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
        throw new UsageError('LIMIT_INVALID', `--limit must be a whole number above 0 (got '${flags.limit}').`);
      }
      const rows = await withServerDatabase(cmd, async (pool) =>
        listAudit(pool, opts.tenant ? await findTenant(pool, opts.tenant) : null, {
          since,
          actor: flags.actor,
          action: flags.action,
          limit,
        }),
      );
      printResult(opts, { entries: rows }, () => lines(rows));
    });
}
