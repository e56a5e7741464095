import { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { migrate } from '../../db/migrate';
import { withTenant } from '../../db/tenant-scope';
import { listAudit } from '../audit';
import { recordAudit } from '../db';

/** The audit trail is append-only for the application's role, and private per tenant. */
describe('audit trail grants and row-level security', () => {
  // Before usePostgres(): jest runs afterAll hooks in the order they are declared, the drop last.
  afterAll(async () => pool.end());
  const pg = usePostgres();
  let pool: Pool;
  let a: number;
  let b: number;

  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    await migrate(pool);
    const { rows } = await pool.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('a'), ('b') RETURNING id");
    [a, b] = rows.map((r) => Number(r.id));
    await recordAudit(
      pool,
      { tenantId: a, actor: 'ana@example.com', action: 'configure', details: { before: { x: 1 }, after: { x: 2 } } },
      { tenantId: b, actor: 'worker', action: 'start' },
      { tenantId: null, actor: 'cli:root', action: 'tenants.add', ip: '127.0.0.1' },
    );
  });

  it('as tightknit_app: inserting and reading its tenant’s rows works; UPDATE and DELETE are refused', async () => {
    await withTenant(pool, a, (c) =>
      c.query("INSERT INTO audit_events (tenant_id, actor, action) VALUES ($1, 'worker', 'sync')", [a]),
    );
    const seen = await withTenant(
      pool,
      a,
      async (c) => (await c.query<{ action: string }>('SELECT action FROM audit_events ORDER BY id')).rows,
    );
    expect(seen.map((r) => r.action)).toEqual(['configure', 'sync']);
    await expect(withTenant(pool, a, (c) => c.query("UPDATE audit_events SET actor = 'someone-else'"))).rejects.toThrow(
      /permission denied for table audit_events/,
    );
    await expect(withTenant(pool, a, (c) => c.query('DELETE FROM audit_events'))).rejects.toThrow(
      /permission denied for table audit_events/,
    );
    await expect(withTenant(pool, a, (c) => c.query('TRUNCATE audit_events'))).rejects.toThrow(/permission denied/);
    // A plain SET ROLE (not the helper) is refused the same way.
    const c = await pool.connect();
    try {
      await c.query('SET ROLE tightknit_app');
      await expect(c.query('DELETE FROM audit_events')).rejects.toThrow(/permission denied/);
    } finally {
      await c.query('RESET ROLE');
      c.release();
    }
    expect((await pool.query('SELECT 1 FROM audit_events')).rowCount).toBe(4);
  });

  it("a tenant's transaction cannot read or write another tenant's rows, nor operator-wide ones", async () => {
    await expect(
      withTenant(pool, a, (c) =>
        c.query("INSERT INTO audit_events (tenant_id, actor, action) VALUES ($1, 'x', 'y')", [b]),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      withTenant(pool, a, (c) =>
        c.query("INSERT INTO audit_events (tenant_id, actor, action) VALUES (NULL, 'x', 'y')"),
      ),
    ).rejects.toThrow(/row-level security/);
    expect((await listAudit(pool, { id: b, name: 'b' })).map((r) => r.action)).toEqual(['start']);
    // The operator's view (the server's own connection) is the whole trail, newest first.
    expect((await listAudit(pool, null)).map((r) => `${r.tenant ?? '-'}:${r.action}`)).toEqual([
      'a:sync',
      '-:tenants.add',
      'b:start',
      'a:configure',
    ]);
    expect((await listAudit(pool, null, { actor: 'cli:root' }))[0]).toMatchObject({ ip: '127.0.0.1', tenant: null });
  });
});
