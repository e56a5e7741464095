import { Option, type Command } from './commander';
import type { Pool } from 'pg';
import type { Tenant } from '../server';
import { DATABASE_ENV } from '../server/names';
import { UsageError } from '../sync';

/** The variable that selects a tenant, like `--tenant`. */
const TENANT_ENV = 'TIGHTKNIT_TENANT';

/** Commands of server mode alone (they need --database). */
const SERVER_ONLY = ['tenants', 'rotate-key', 'migrate-state', 'serve', 'worker', 'users', 'audit'];

/** Per-community commands that work on a tenant too (--database with --tenant), else on the state directory. */
const PER_TENANT = [
  'history',
  'investigate',
  'ingest',
  'configure',
  'start',
  'pause',
  'resume',
  'sync',
  'retry',
  'rematch',
  'verify',
  'connect',
  'disconnect',
  'connect-slack',
  'disconnect-slack',
  'check',
];

/** Commands that work in server mode today; every other command refuses `--database`. */
const SERVER_COMMANDS = [...SERVER_ONLY, ...PER_TENANT];

/** Server commands that take no --tenant, and why (a TIGHTKNIT_TENANT in the environment is let be). */
const TENANTLESS: Record<string, string> = {
  tenants: 'names its tenant as an argument',
  'rotate-key': 'acts on every tenant',
  serve: 'runs every tenant',
  worker: 'runs every tenant',
};

/** Commands that keep no state, so the storage options mean nothing to them. */
const STATELESS = ['emulator'];

/** Commands that check --database and --tenant themselves (`demo --server` makes a database on that server). */
const OWN_CHECKS = ['demo'];

/**
 * The server mode's module, loaded on first use so that embedded-mode commands never load the
 * PostgreSQL libraries. A CommonJS require, because the launcher's tsx hook serves require() (an ESM
 * import() of a .ts file would bypass it).
 */
export function serverModule(): typeof import('../server/index.js') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../server') as typeof import('../server/index.js');
}

/** The server-mode flags every command can read with `optsWithGlobals()`. */
interface ServerOptions {
  database?: string;
  tenant?: string;
}

function topLevel(cmd: Command): Command {
  let c = cmd;
  while (c.parent?.parent) c = c.parent;
  return c;
}

/** Refuses storage options a command would otherwise ignore, naming the commands that take them. */
function refuseUnsupported(program: Command, action: Command): void {
  const name = topLevel(action).name();
  if (STATELESS.includes(name) || OWN_CHECKS.includes(name)) return;
  const { database, tenant } = program.opts<ServerOptions>();
  const from = (opt: string, env: string): string =>
    program.getOptionValueSource(opt) === 'env' ? `${env} is set` : `--${opt} was given`;
  if (database && !SERVER_COMMANDS.includes(name)) {
    throw new UsageError(
      'SERVER_MODE_UNSUPPORTED',
      `\`${name}\` does not support server mode yet (${from('database', DATABASE_ENV)}); commands that do: ${SERVER_COMMANDS.join(', ')}. To use the state directory, drop --database / unset ${DATABASE_ENV}.`,
    );
  }
  if (tenant && program.getOptionValueSource('tenant') === 'cli' && TENANTLESS[name]) {
    throw new UsageError('TENANT_NOT_TAKEN', `\`${name}\` ${TENANTLESS[name]}: drop --tenant.`);
  }
  if (tenant && !database && !SERVER_ONLY.includes(name)) {
    throw new UsageError(
      'TENANT_WITHOUT_DATABASE',
      `${from('tenant', TENANT_ENV)}, but a tenant lives in a server-mode database: give --database (or ${DATABASE_ENV}) too, or drop --tenant / unset ${TENANT_ENV}.`,
    );
  }
}

/** Adds `--database` and `--tenant` to the program and the check that no command ignores them. */
export function addServerOptions(program: Command): void {
  program
    .addOption(
      new Option(
        '--database <url>',
        'server mode: the PostgreSQL database holding every tenant (instead of --state-dir)',
      ).env(DATABASE_ENV),
    )
    .addOption(new Option('--tenant <name>', 'server mode: the tenant a per-community command acts on').env(TENANT_ENV))
    .hook('preAction', (_root, action) => refuseUnsupported(program, action));
}

/** The server-mode database's URL a command was given; none is a usage error that says how to give one. */
export function databaseUrl(cmd: Command): string {
  const { database } = cmd.optsWithGlobals<ServerOptions>();
  if (!database) {
    throw new UsageError(
      'DATABASE_REQUIRED',
      `\`${topLevel(cmd).name()}\` works on a server-mode database: give --database postgres://… or set ${DATABASE_ENV}.`,
    );
  }
  return database;
}

/**
 * Opens the server-mode database for a command (the schema brought up to date under the migration
 * lock) and closes it when `fn` is done.
 */
export async function withServerDatabase<T>(cmd: Command, fn: (pool: Pool) => Promise<T>): Promise<T> {
  const database = databaseUrl(cmd);
  const { migrate, openPool } = serverModule();
  const pool = await openPool(database);
  try {
    await migrate(pool);
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

/** The CLI's helpers for per-tenant commands, loaded on first use like the server module. */
export function cliSupport(): typeof import('../server/cli-support/index.js') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../server/cli-support') as typeof import('../server/cli-support/index.js');
}

/**
 * Where a per-community command's state is: a state directory (embedded mode) or one tenant in a
 * server-mode database (`--database` with `--tenant`).
 */
export type StateLocation =
  { kind: 'dir'; stateDir: string } | { kind: 'tenant'; pool: Pool; tenant: Tenant; database: string };

/**
 * Runs a per-community command against the state the global options name: the state directory, or,
 * with --database, the tenant --tenant (or TIGHTKNIT_TENANT) names. No tenant is a usage error naming
 * both; an unknown one lists the tenants there are; a removed one says how to bring it back.
 */
export async function withStateLocation<T>(cmd: Command, fn: (where: StateLocation) => Promise<T>): Promise<T> {
  const { database, tenant, stateDir } = cmd.optsWithGlobals<ServerOptions & { stateDir: string }>();
  if (!database) return fn({ kind: 'dir', stateDir });
  const name = topLevel(cmd).name();
  if (!tenant) {
    throw new UsageError(
      'TENANT_REQUIRED',
      `\`${name}\` acts on one tenant in server mode: give --tenant <name> or set ${TENANT_ENV} (\`tightknit-sync tenants list\` shows them).`,
    );
  }
  return withServerDatabase(cmd, async (pool) => {
    const found = await serverModule().findTenant(pool, tenant);
    if (found.status === 'removed') {
      throw new UsageError(
        'TENANT_REMOVED',
        `Tenant '${tenant}' was removed from service. \`tightknit-sync tenants add ${tenant}\` brings it back with its data.`,
      );
    }
    return fn({ kind: 'tenant', pool, tenant: found, database });
  });
}
