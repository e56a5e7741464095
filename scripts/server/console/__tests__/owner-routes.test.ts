import type { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { Browser, PEOPLE, seed, serve, testPool } from '../../people/__tests__/helpers';
import { RunQueue } from '../../queue/runs';
import { createConsoleHandler } from '../handler';

/** The owner's own route: deleting the tenant (guarded by tenant.delete, confirmed by name, audited). */
describe('an owner deletes their tenant from the console', () => {
  afterAll(async () => pool.end());
  const pg = usePostgres();
  let pool: Pool;
  let server: Awaited<ReturnType<typeof serve>>;
  const ids: Record<string, number> = {};
  let queue: RunQueue;

  beforeAll(async () => {
    pool = testPool(pg.url);
    await seed(pool);
    // The tenant page reads the run queue's tables.
    queue = await RunQueue.open(pg.url);
    for (const name of ['gamma', 'delta']) {
      ids[name] = Number(
        (await pool.query<{ id: string }>('INSERT INTO tenants (name) VALUES ($1) RETURNING id', [name])).rows[0].id,
      );
      for (const [who, role] of [
        ['owner', 'owner'],
        ['admin', 'admin'],
      ] as const) {
        await pool.query(
          'INSERT INTO memberships (person_id, tenant_id, role) SELECT id, $1, $2 FROM people WHERE email = $3',
          [ids[name], role, PEOPLE[who]],
        );
      }
    }
    let tenantConsole: ReturnType<typeof createConsoleHandler> | undefined;
    server = await serve({ pool, trustProxy: true }, async (people, req, res) => {
      tenantConsole ??= createConsoleHandler({ pool, guard: people.guard, trustProxy: true, queue });
      return tenantConsole(req, res);
    });
  });
  afterAll(async () => {
    await server.close();
    await queue.stop(0);
  });

  const as = async (who: 'owner' | 'admin'): Promise<Browser> => {
    const b = new Browser(server.origin, '10.9.0.1');
    expect((await b.signIn(PEOPLE[who])).status).toBe(303);
    return b;
  };
  const statusOf = async (name: string): Promise<string | undefined> =>
    (await pool.query<{ status: string }>('SELECT status FROM tenants WHERE name = $1', [name])).rows[0]?.status;
  const audit = async (action: string) =>
    (
      await pool.query<{ tenant_id: string | null; actor: string; ip: string; details: Record<string, unknown> }>(
        'SELECT tenant_id, actor, ip, details FROM audit_events WHERE action = $1 ORDER BY id',
        [action],
      )
    ).rows;

  it('an admin is refused naming the owner role, audited; the tenant stays', async () => {
    const admin = await as('admin');
    const res = await admin.post('/api/tenants/gamma/delete', { confirm: 'gamma' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('tenant.delete needs the owner role');
    expect((await audit('access.denied')).at(-1)).toMatchObject({
      actor: PEOPLE.admin,
      details: { operation: 'tenant.delete' },
    });
    expect(await statusOf('gamma')).toBe('active');
  });

  it('the owner must repeat the name, and disconnect first; then the tenant is out of service, audited', async () => {
    const owner = await as('owner');
    const unconfirmed = await owner.post('/api/tenants/gamma/delete', { confirm: 'gama' });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain("needs its name repeated: send the field confirm = 'gamma'");
    await pool.query(
      "INSERT INTO tenant_secrets (tenant_id, name, iv, tag, data) VALUES ($1, 'salesforce.credentials', '\\x00', '\\x00', '\\x00')",
      [ids.gamma],
    );
    const connected = await owner.post('/api/tenants/gamma/delete', { confirm: 'gamma' });
    expect(connected.status).toBe(409);
    expect(await connected.text()).toContain(
      "Tenant 'gamma' is still connected to the Salesforce org. Disconnect first, so the tokens are revoked",
    );
    expect(await statusOf('gamma')).toBe('active');
    await pool.query('DELETE FROM tenant_secrets WHERE tenant_id = $1', [ids.gamma]);
    const done = await owner.post('/api/tenants/gamma/delete', { confirm: 'gamma' });
    expect(done.status).toBe(200);
    expect(((await done.json()) as { message: string }).message).toContain("Tenant 'gamma' taken out of service");
    expect(await statusOf('gamma')).toBe('removed');
    expect(await audit('tenant.delete')).toEqual([
      { tenant_id: null, actor: PEOPLE.owner, ip: '10.9.0.1', details: { tenant: 'gamma', deleteData: false } },
    ]);
    // The removed tenant's console is gone for everyone.
    expect((await owner.fetch('/api/tenants/gamma/status')).status).toBe(403);
  });

  it('with deleteData the tenant and its rows are gone', async () => {
    const owner = await as('owner');
    const res = await owner.post('/api/tenants/delta/delete', { confirm: 'delta', deleteData: true });
    expect(res.status).toBe(200);
    expect(await statusOf('delta')).toBeUndefined();
    expect((await pool.query('SELECT 1 FROM memberships WHERE tenant_id = $1', [ids.delta])).rowCount).toBe(0);
    expect((await audit('tenant.delete')).at(-1)?.details).toEqual({ tenant: 'delta', deleteData: true });
  });

  it("the tenant page shows the delete form to the owner only; the form's post takes the tenant out of service", async () => {
    const html = async (who: 'owner' | 'admin'): Promise<string> => {
      const res = await (await as(who)).fetch('/tenants/acme', { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      return res.text();
    };
    expect(await html('admin')).not.toContain('data-id="delete-form"');
    expect(await html('owner')).toContain('data-id="delete-form"');
    await pool.query("INSERT INTO tenants (name) VALUES ('epsilon')");
    await pool.query(
      "INSERT INTO memberships (person_id, tenant_id, role) SELECT p.id, t.id, 'owner' FROM people p, tenants t WHERE p.email = $1 AND t.name = 'epsilon'",
      [PEOPLE.owner],
    );
    const owner = await as('owner');
    const res = await owner.fetch('/api/tenants/epsilon/delete', {
      method: 'POST',
      form: { csrf: owner.csrf, confirm: 'epsilon' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Tenant &#39;epsilon&#39; taken out of service');
    expect(await statusOf('epsilon')).toBe('removed');
  });
});
