import type { Command } from 'commander';
import type { TenantSummary } from '../../server';
import { GlobalOptions, printResult, warn } from '../output';
import { cliSupport, serverModule, withServerDatabase } from '../server-mode';

const dash = (v: string | number | null): string => (v === null ? '—' : String(v));

function table(tenants: TenantSummary[]): string {
  if (tenants.length === 0) return 'No tenants yet. Add one with `tightknit-sync tenants add <name>`.';
  const rows = tenants.map((t) => [
    t.name,
    dash(t.community),
    dash(t.org),
    t.status,
    t.lastRun ? `#${t.lastRun.id} ${t.lastRun.type} ${t.lastRun.status} ${t.lastRun.startedAt}` : '—',
    t.lagSeconds === null ? '—' : `${t.lagSeconds}s`,
  ]);
  const all = [['NAME', 'COMMUNITY', 'ORG', 'STATUS', 'LAST RUN', 'LAG'], ...rows];
  const widths = all[0].map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function register(program: Command): void {
  const tenants = program
    .command('tenants')
    .description('server mode: add, list and remove tenants (a community + its org)');

  tenants
    .command('add <name>')
    .description('register a tenant with its own data key (lower-case letters, digits, hyphens)')
    .option('--community <name>', "the community's name for the tenant list, until its first ingest reads it")
    .action(async (name: string, flags: { community?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const { addTenant, resolveMasterKeys } = serverModule();
      const keys = resolveMasterKeys();
      const r = await withServerDatabase(cmd, async (pool) => {
        const added = await addTenant(pool, keys, name, flags.community);
        await cliSupport().auditCli(pool, null, 'tenants.add', {
          tenant: name,
          restored: added.restored,
          ...(flags.community ? { community: added.tenant.community } : {}),
        });
        return added;
      });
      printResult(opts, r, () =>
        r.restored
          ? `Tenant '${name}' is back in service, with the data it had.`
          : `Tenant '${name}' added, with its own data key.`,
      );
    });

  tenants
    .command('list')
    .description('every tenant: name, community, org, status, last run, lag')
    .action(async (_flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const { listTenants } = serverModule();
      const list = await withServerDatabase(cmd, (pool) => listTenants(pool));
      printResult(opts, { tenants: list }, () => table(list));
    });

  tenants
    .command('remove <name>')
    .description('take a tenant out of service; its data is kept unless --delete-data')
    .option('--delete-data', 'delete the tenant and every row it owns (cannot be undone)')
    .action(async (name: string, flags: { deleteData?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const deleteData = flags.deleteData === true;
      const { resolveMasterKeys } = serverModule();
      const { t, revoked } = await withServerDatabase(cmd, async (pool) => {
        // The tokens first: a removed tenant must leave no live authorization in its org or workspace.
        const r = await cliSupport().retireTenant(pool, () => resolveMasterKeys(), name, deleteData);
        await cliSupport().auditCli(pool, null, 'tenants.remove', {
          tenant: name,
          deleteData,
          revocations: r.revocations,
        });
        return { t: r.tenant, revoked: r.revocations };
      });
      for (const r of [revoked.salesforce, revoked.slack]) if (r?.failed && r.note) warn(opts, r.note);
      printResult(opts, { tenant: t, dataDeleted: deleteData, revocations: revoked }, () =>
        [
          revoked.salesforce?.revoked ? `Salesforce token revoked at ${revoked.salesforce.instanceUrl}.` : null,
          revoked.slack?.revoked ? `Slack bot token revoked in workspace ${revoked.slack.teamId}.` : null,
          deleteData
            ? `Tenant '${name}' and all its data deleted.`
            : `Tenant '${name}' removed from service; its data is kept (\`tenants add ${name}\` brings it back, \`tenants remove ${name} --delete-data\` deletes it).`,
          revoked.salesforce?.failed || revoked.slack?.failed
            ? deleteData
              ? 'A token could not be revoked (see the warning above): revoke it there by hand; nothing of it is kept here.'
              : `A token could not be revoked (see the warning above); it is kept sealed: revoke it by hand there, or later with \`tenants add ${name}\` then \`disconnect --tenant ${name}\`.`
            : null,
        ]
          .filter((l): l is string => l !== null)
          .join('\n'),
      );
    });
}
