import type { Command } from 'commander';
import type { TenantSummary } from '../../server';
import { GlobalOptions, printResult } from '../output';
import { serverModule, withServerDatabase } from '../server-mode';

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
    .action(async (name: string, _flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const { addTenant, resolveMasterKeys } = serverModule();
      const keys = resolveMasterKeys();
      const r = await withServerDatabase(cmd, (pool) => addTenant(pool, keys, name));
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
      const { removeTenant } = serverModule();
      const t = await withServerDatabase(cmd, (pool) => removeTenant(pool, name, deleteData));
      printResult(opts, { tenant: t, dataDeleted: deleteData }, () =>
        deleteData
          ? `Tenant '${name}' and all its data deleted.`
          : `Tenant '${name}' removed from service; its data is kept (\`tenants add ${name}\` brings it back, \`tenants remove ${name} --delete-data\` deletes it).`,
      );
    });
}
