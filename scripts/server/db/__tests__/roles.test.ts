import { Client, Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test-support/postgres';
import { openPool } from '../connect';
import { migrate } from '../migrate';
import { STEPS } from '../schema-steps';
import { withTenant } from '../tenant-scope';

/**
 * Roles and connections, on an embedded PostgreSQL of this file's own (always, whatever
 * TIGHTKNIT_TEST_DATABASE_URL says): these tests create roles, which are shared by a whole cluster.
 */
describe('database roles and connection failures', () => {
  let db: TestDatabase;
  const pools: Pool[] = [];
  const as = (user: string, password: string, database = db.name): string => {
    const u = new URL(db.url);
    u.username = user;
    u.password = password;
    u.pathname = `/${database}`;
    return u.toString();
  };
  async function admin(sql: string): Promise<void> {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    db = await createTestDatabase({});
  }, 120_000);
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db.drop();
  });

  it('a wrong password: one line naming the server and the user, never the password', async () => {
    const err = (await openPool(as('postgres', 'not-the-password')).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'DATABASE_UNREACHABLE', exitCode: 2 });
    expect(err.message).toMatch(/^PostgreSQL at 127\.0\.0\.1:\d+\/tk_test_\w+ refused user 'postgres'/);
    expect(err.message).toContain('fix --database or TIGHTKNIT_DATABASE_URL');
    expect(err.message).not.toContain('not-the-password');
  });

  it('a role without CREATEROLE, before anyone created tightknit_app: the error says what to ask for', async () => {
    await admin("CREATE ROLE tk_plain LOGIN PASSWORD 'plain-pw'");
    await admin('CREATE DATABASE tk_plain_db OWNER tk_plain');
    const pool = await openPool(as('tk_plain', 'plain-pw', 'tk_plain_db'));
    pools.push(pool);
    await expect(migrate(pool)).rejects.toMatchObject({
      code: 'DATABASE_PRIVILEGES',
      message: expect.stringContaining('CREATE ROLE tightknit_app NOLOGIN; GRANT tightknit_app TO <your role>;'),
    });
  });

  it('the application as a non-superuser owner: the schema installs and row-level security holds', async () => {
    await admin("CREATE ROLE tk_owner LOGIN CREATEROLE PASSWORD 'owner-pw'");
    await admin('CREATE DATABASE tk_owner_db OWNER tk_owner');
    const pool = await openPool(as('tk_owner', 'owner-pw', 'tk_owner_db'));
    pools.push(pool);
    expect(await migrate(pool)).toEqual(Object.keys(STEPS));
    const { rows } = await pool.query<{ id: string }>(
      "INSERT INTO tenants (name) VALUES ('o-a'), ('o-b') RETURNING id",
    );
    const [a, b] = rows.map((r) => Number(r.id));
    await withTenant(pool, a, (c) =>
      c.query(
        "INSERT INTO members (tenant_id, id, seq, community_id, name, status) VALUES ($1, 'U1', 1, 'T', 'A', 'Active')",
        [a],
      ),
    );
    // The owner itself is subject to the policies (FORCE): with no tenant set it sees no rows.
    expect((await pool.query('SELECT * FROM members')).rowCount).toBe(0);
    expect(await withTenant(pool, b, async (c) => (await c.query('SELECT * FROM members')).rowCount)).toBe(0);
    expect(await withTenant(pool, a, async (c) => (await c.query('SELECT * FROM members')).rowCount)).toBe(1);
  });

  it('refuses to go on when tightknit_app can bypass row-level security, or the schema is newer', async () => {
    const pool = new Pool({ connectionString: db.url });
    pools.push(pool);
    await migrate(pool);
    await admin('ALTER ROLE tightknit_app BYPASSRLS');
    await expect(migrate(pool)).rejects.toMatchObject({
      code: 'DATABASE_ROLE_UNSAFE',
      message: expect.stringContaining('ALTER ROLE tightknit_app NOSUPERUSER NOBYPASSRLS;'),
    });
    await admin('ALTER ROLE tightknit_app NOBYPASSRLS');
    await pool.query("INSERT INTO schema_migrations (name, run_on) VALUES ('9999_from_the_future', now())");
    await expect(migrate(pool)).rejects.toMatchObject({
      code: 'DATABASE_SCHEMA_TOO_NEW',
      message: expect.stringContaining('9999_from_the_future'),
    });
  });
});
