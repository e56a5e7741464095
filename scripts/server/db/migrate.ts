import { join } from 'node:path';
import { runner, type RunnerOption } from 'node-pg-migrate';
import type { Pool } from 'pg';
import { UsageError } from '../../sync/errors';
import { STEPS } from './schema-steps';
import { APP_ROLE } from './tenant-tables';

/** Our own advisory-lock key (node-pg-migrate's default is shared by every application using it). */
export const MIGRATION_LOCK_ID = 7_357_211_003_001;

/** The table recording applied steps. */
const MIGRATIONS_TABLE = 'schema_migrations';

const MIGRATIONS_DIR = join(__dirname, 'migrations');

function stepName(file: string): string {
  return file.replace(/^.*[\\/]/, '').replace(/\.[cm]?[jt]s$/, '');
}

type Loader = Exclude<NonNullable<RunnerOption['migrationLoaderStrategies']>[number]['loader'], string>;

/** Maps the files the runner lists to the statically imported steps (no loading by path at run time). */
const loadSteps: Loader = async (filePaths) =>
  filePaths.map((file) => {
    const step = STEPS[stepName(file)];
    if (!step) throw new Error(`Schema step ${stepName(file)} is not listed in scripts/server/db/schema-steps.ts`);
    return { id: file, filePaths: [file], actions: step };
  });

async function refuseNewerSchema(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`);
  const unknown = rows.map((r) => r.name).filter((n) => !(n in STEPS));
  if (unknown.length > 0) {
    throw new UsageError(
      'DATABASE_SCHEMA_TOO_NEW',
      `The database was migrated by a newer tightknit-sync (steps ${unknown.join(', ')} are unknown to this version). Upgrade tightknit-sync on this machine.`,
    );
  }
}

async function refuseUnsafeRole(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
    'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1',
    [APP_ROLE],
  );
  if (rows[0]?.rolsuper || rows[0]?.rolbypassrls) {
    throw new UsageError(
      'DATABASE_ROLE_UNSAFE',
      `The role ${APP_ROLE} is a superuser or has BYPASSRLS, so tenants would see each other's rows. Run: ALTER ROLE ${APP_ROLE} NOSUPERUSER NOBYPASSRLS;`,
    );
  }
}

/**
 * Brings the schema to this release's newest step. Safe to call from every process at start: the
 * steps run in one transaction under a session advisory lock, so a second process waits for the first
 * and then finds nothing to do. Returns the names of the steps this call applied.
 */
export async function migrate(pool: Pool): Promise<string[]> {
  const client = await pool.connect();
  let applied: string[];
  try {
    const silent = (): void => undefined;
    const ran = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      // The build writes source maps beside the compiled steps: those are not steps.
      ignorePattern: '(\\..*|.*\\.d\\.ts|.*\\.map)',
      migrationsTable: MIGRATIONS_TABLE,
      direction: 'up',
      singleTransaction: true,
      checkOrder: true,
      lockValue: MIGRATION_LOCK_ID,
      advisoryLockMode: 'wait',
      migrationLoaderStrategies: [{ extensions: ['.ts', '.js', '.cjs', '.mjs'], loader: loadSteps }],
      logger: { debug: silent, info: silent, warn: silent, error: silent },
    });
    applied = ran.map((m) => m.name);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if ((err as { code?: string }).code === '42501') {
      throw new UsageError(
        'DATABASE_PRIVILEGES',
        `The database role cannot create the schema (${(err as Error).message}). Connect as the database's owner with CREATEROLE, or have an administrator create the role first: CREATE ROLE ${APP_ROLE} NOLOGIN; GRANT ${APP_ROLE} TO <your role>;`,
        { cause: err },
      );
    }
    throw err;
  } finally {
    client.release();
  }
  await refuseNewerSchema(pool);
  await refuseUnsafeRole(pool);
  return applied;
}
