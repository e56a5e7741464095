import { Client } from 'pg';
import { createTestDatabase, TEST_DATABASE_ENV, type TestDatabase } from '../postgres';

async function query(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await c.end();
  }
}

async function exists(db: TestDatabase, adminUrl: string): Promise<boolean> {
  const rows = await query(adminUrl, `SELECT 1 FROM pg_database WHERE datname = '${db.name}'`);
  return rows.length === 1;
}

describe('test databases', () => {
  it('starts an embedded PostgreSQL when no server is configured, and drops it afterwards', async () => {
    const db = await createTestDatabase({});
    expect(db.server).toBe('embedded');
    const [row] = await query(
      db.url,
      'SELECT current_database() AS name, current_setting($$server_version_num$$)::int AS v',
    );
    expect(row.name).toBe(db.name);
    expect(row.v).toBeGreaterThanOrEqual(150000);
    await db.drop();
    await expect(query(db.url, 'SELECT 1')).rejects.toThrow();
  });

  const shared = process.env[TEST_DATABASE_ENV];
  (shared ? it : it.skip)(`uses the server at ${TEST_DATABASE_ENV} with one database per call`, async () => {
    const adminUrl = shared as string;
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    try {
      expect(a.server).toBe('env');
      expect(a.name).not.toBe(b.name);
      await query(a.url, 'CREATE TABLE only_in_a (x int)');
      const inB = await query(b.url, "SELECT 1 FROM pg_tables WHERE tablename = 'only_in_a'");
      expect(inB).toHaveLength(0);
      expect(await exists(a, adminUrl)).toBe(true);
    } finally {
      await a.drop();
      await b.drop();
    }
    expect(await exists(a, adminUrl)).toBe(false);
    expect(await exists(b, adminUrl)).toBe(false);
  });
});
