import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Membership, Tenant } from '../../server';
import { GlobalOptions, printResult } from '../output';
import { serverModule, withServerDatabase } from '../server-mode';

/** The audit trail's name for a change made from this terminal. */
function cliActor(): { actor: string } {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container's arbitrary uid): the actor stays cli:unknown.
  }
  return { actor: `cli:${user}` };
}

interface Options extends GlobalOptions {
  tenant?: string;
}

/** Runs `fn` with the database and the tenant `--tenant` names (null without it: operator-wide). */
async function withScope<T>(
  cmd: Command,
  fn: (pool: import('pg').Pool, tenant: Tenant | null) => Promise<T>,
): Promise<T> {
  const { tenant } = cmd.optsWithGlobals<Options>();
  return withServerDatabase(cmd, async (pool) =>
    fn(pool, tenant ? await serverModule().findTenant(pool, tenant) : null),
  );
}

function table(list: Membership[]): string {
  if (list.length === 0)
    return 'Nobody yet. Add the first person with `tightknit-sync users add <email> --role owner --tenant <name>`.';
  const rows = list.map((m) => [
    m.email,
    m.role,
    m.tenant ?? '(operator-wide)',
    m.hasPassword ? 'password' : 'SSO or link',
    m.since,
  ]);
  const all = [['EMAIL', 'ROLE', 'TENANT', 'SIGN-IN', 'SINCE'], ...rows];
  const widths = all[0].map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const scopeText = (tenant: Tenant | null): string => (tenant ? `tenant '${tenant.name}'` : 'the installation');

export function register(program: Command): void {
  const users = program
    .command('users')
    .description('server mode: people and their roles, per tenant (--tenant) or operator-wide');

  users
    .command('add <email>')
    .description('give a person a role (created if new, with a one-time link to set a password)')
    .requiredOption('--role <role>', 'owner, admin, integrations-manager, viewer (with --tenant) or operator (without)')
    .action(async (email: string, flags: { role: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Options>();
      const { addUser, parseRole, linkTo } = serverModule();
      const role = parseRole(flags.role);
      const r = await withScope(cmd, (pool, tenant) => addUser(pool, cliActor(), { email, role, tenant }));
      const link = r.passwordToken ? linkTo(`/password/${r.passwordToken}`) : undefined;
      printResult(
        opts,
        { email: r.email, role, tenant: opts.tenant ?? null, created: r.created, setPasswordLink: link ?? null },
        () =>
          [
            `${r.email} is now ${role} in ${opts.tenant ? `tenant '${opts.tenant}'` : 'the installation'}.`,
            link
              ? `One-time link to set a password (valid 7 days; or sign in with SSO as ${r.email}): ${link}`
              : undefined,
          ]
            .filter(Boolean)
            .join('\n'),
      );
    });

  users
    .command('list')
    .description('the people of a tenant (--tenant) or of every tenant, with their roles')
    .action(async (_flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Options>();
      const list = await withScope(cmd, (pool, tenant) => serverModule().listUsers(pool, tenant));
      printResult(opts, { users: list }, () => table(list));
    });

  users
    .command('remove <email>')
    .description("take a person's role away; their sessions end at once")
    .action(async (email: string, _flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Options>();
      let where = '';
      const r = await withScope(cmd, (pool, tenant) => {
        where = scopeText(tenant);
        return serverModule().removeUser(pool, cliActor(), { email, tenant });
      });
      printResult(
        opts,
        { email, removedRole: r.role },
        () => `${email} no longer has a role (was ${r.role}) in ${where}; their sessions are ended.`,
      );
    });

  users
    .command('set-role <email> <role>')
    .description("change a person's role; their sessions end, the new role applies at their next sign-in")
    .action(async (email: string, roleName: string, _flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Options>();
      const { setRole, parseRole } = serverModule();
      const role = parseRole(roleName);
      let where = '';
      const r = await withScope(cmd, (pool, tenant) => {
        where = scopeText(tenant);
        return setRole(pool, cliActor(), { email, role, tenant });
      });
      printResult(opts, { email, before: r.before, after: role }, () => `${email}: ${r.before} → ${role} in ${where}.`);
    });

  users
    .command('password-link <email>')
    .description(
      'a one-time link for the person to set a new password (valid 7 days); their sessions end when it is used',
    )
    .action(async (email: string, _flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<Options>();
      const { passwordLinkFor, linkTo } = serverModule();
      const r = await withScope(cmd, (pool, tenant) => passwordLinkFor(pool, cliActor(), { email, tenant }));
      const link = linkTo(`/password/${r.token}`);
      printResult(
        opts,
        { email: r.email, passwordLink: link },
        () => `One-time link for ${r.email} to set a new password (valid 7 days): ${link}`,
      );
    });
}
