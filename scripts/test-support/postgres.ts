import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

/** The variable CI sets to a running server's URL (a role that may create and drop databases). */
export const TEST_DATABASE_ENV = 'TIGHTKNIT_TEST_DATABASE_URL';

/** A database of its own for one test file, on the shared server or on an embedded one. */
export interface TestDatabase {
  /** Connection URL of the fresh database, as its creator (an administrative role). */
  url: string;
  /** The database's name (`tk_test_…`). */
  name: string;
  /** 'env' = the server named by TIGHTKNIT_TEST_DATABASE_URL; 'embedded' = one this process started. */
  server: 'env' | 'embedded';
  /** Drops the database (and stops the embedded server if this process started one). */
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(adminUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Waits (up to 5 s) until nobody is connected to `database`. pg's `Pool.end()` resolves before its
 * connections have closed; dropping WITH (FORCE) in that moment would make the server terminate them,
 * and a pool without an error listener would turn that into an unhandled error in the test process.
 */
async function closedConnections(c: Client, database: string): Promise<void> {
  for (let i = 0; i < 50; i += 1) {
    const { rows } = await c.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    if (rows[0].n === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Creates a database for one test file: on the server at TIGHTKNIT_TEST_DATABASE_URL when set (CI),
 * else on an embedded PostgreSQL started for this file. Call `drop()` in afterAll.
 */
export async function createTestDatabase(env: NodeJS.ProcessEnv = process.env): Promise<TestDatabase> {
  const fromEnv = env[TEST_DATABASE_ENV];
  const server: EmbeddedPostgres =
    fromEnv !== undefined && fromEnv !== ''
      ? { adminUrl: fromEnv, stop: async () => undefined }
      : await startEmbeddedPostgres();
  const name = `tk_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await admin(server.adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    url: withDatabase(server.adminUrl, name),
    name,
    server: fromEnv ? 'env' : 'embedded',
    drop: async () => {
      try {
        await admin(server.adminUrl, async (c) => {
          await closedConnections(c, name);
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        });
      } finally {
        await server.stop();
      }
    },
  };
}

/**
 * Jest helper: a fresh database for the calling test file, created in beforeAll and dropped in
 * afterAll. Read `.url` inside tests (it is set once beforeAll has run).
 */
export function usePostgres(): { readonly url: string; readonly db: TestDatabase } {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
  });
  return {
    get db() {
      if (!db) throw new Error('usePostgres(): the database exists only once beforeAll has run');
      return db;
    },
    get url() {
      return this.db.url;
    },
  };
}
