import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { Browser, PEOPLE, seed, serve, testPool, type Who } from '../../people/__tests__/helpers';
import { RunQueue } from '../../queue/runs';
import { resolveMasterKeys } from '../../secrets/master-key';
import { createConsoleHandler } from '../handler';

/** The operator's routes: adding and removing tenants from the console (tenants.add, tenants.remove), audited. */
describe('the operator manages tenants from the console', () => {
  afterAll(async () => pool.end());
  const pg = usePostgres();
  let pool: Pool;
  let server: Awaited<ReturnType<typeof serve>>;
  let queue: RunQueue;
  const keys = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: randomBytes(32).toString('base64') });

  beforeAll(async () => {
    pool = testPool(pg.url);
    await seed(pool);
    queue = await RunQueue.open(pg.url);
    let tenantConsole: ReturnType<typeof createConsoleHandler> | undefined;
    server = await serve({ pool, trustProxy: true }, async (people, req, res) => {
      tenantConsole ??= createConsoleHandler({ pool, guard: people.guard, trustProxy: true, queue, keys: () => keys });
      return tenantConsole(req, res);
    });
  });
  afterAll(async () => {
    await server.close();
    await queue.stop(0);
  });

  const as = async (who: Who): Promise<Browser> => {
    const b = new Browser(server.origin, '10.8.0.1');
    expect((await b.signIn(PEOPLE[who])).status).toBe(303);
    return b;
  };
  const tenant = async (name: string) =>
    (
      await pool.query<{ status: string; community: string | null }>(
        'SELECT status, community FROM tenants WHERE name = $1',
        [name],
      )
    ).rows[0];
  const audit = async (action: string) =>
    (
      await pool.query<{ tenant_id: string | null; actor: string; ip: string; details: Record<string, unknown> }>(
        'SELECT tenant_id, actor, ip, details FROM audit_events WHERE action = $1 ORDER BY id',
        [action],
      )
    ).rows;

  it('adds a tenant with its own data key and the community name, audited as the operator', async () => {
    const op = await as('operator');
    const res = await op.post('/api/tenants', { name: 'gamma', community: 'Gamma Guild' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { message: string }).message).toContain("Tenant 'gamma' added");
    expect(await tenant('gamma')).toEqual({ status: 'active', community: 'Gamma Guild' });
    const { rowCount } = await pool.query(
      'SELECT 1 FROM tenant_keys k JOIN tenants t ON t.id = k.tenant_id WHERE t.name = $1',
      ['gamma'],
    );
    expect(rowCount).toBe(1);
    expect(await audit('tenants.add')).toEqual([
      {
        tenant_id: null,
        actor: PEOPLE.operator,
        ip: '10.8.0.1',
        details: { tenant: 'gamma', restored: false, community: 'Gamma Guild' },
      },
    ]);
    const again = await op.post('/api/tenants', { name: 'gamma' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("Tenant 'gamma' exists already");
    const bad = await op.post('/api/tenants', { name: 'Not A Name' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('TENANT_NAME_INVALID');
  });

  it('refuses a tenant role, even the owner, naming the operator role; nothing added or removed', async () => {
    const owner = await as('owner');
    const add = await owner.post('/api/tenants', { name: 'delta' });
    expect(add.status).toBe(403);
    expect(await add.text()).toContain('tenants.add needs the operator role');
    const remove = await owner.fetch('/api/tenants/acme', {
      method: 'DELETE',
      json: { confirm: 'acme' },
      headers: { 'x-csrf-token': owner.csrf },
    });
    expect(remove.status).toBe(403);
    expect(await remove.text()).toContain('tenants.remove needs the operator role');
    expect(await tenant('delta')).toBeUndefined();
    expect((await tenant('acme'))?.status).toBe('active');
    expect((await audit('access.denied')).map((r) => r.details.operation)).toEqual(['tenants.add', 'tenants.remove']);
  });

  it('removes a tenant only with its name repeated; the data kept, and adding the name brings it back', async () => {
    const op = await as('operator');
    const del = (json: unknown) =>
      op.fetch('/api/tenants/gamma', { method: 'DELETE', json, headers: { 'x-csrf-token': op.csrf } });
    const unconfirmed = await del({});
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain("needs its name repeated: send the field confirm = 'gamma'");
    const forged = await op.fetch('/api/tenants/gamma', { method: 'DELETE', json: { confirm: 'gamma' } });
    expect(forged.status).toBe(403);
    expect((await tenant('gamma'))?.status).toBe('active');
    const done = await del({ confirm: 'gamma' });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ dataDeleted: false, revocations: {} });
    expect((await tenant('gamma'))?.status).toBe('removed');
    expect((await audit('tenants.remove')).at(-1)).toEqual({
      tenant_id: null,
      actor: PEOPLE.operator,
      ip: '10.8.0.1',
      details: { tenant: 'gamma', deleteData: false, revocations: {} },
    });
    const back = await op.post('/api/tenants', { name: 'gamma' });
    expect(back.status).toBe(200);
    expect(((await back.json()) as { restored: boolean }).restored).toBe(true);
    expect(await tenant('gamma')).toEqual({ status: 'active', community: 'Gamma Guild' });
  });

  it('shows the add and remove forms to the operator only; the forms add, and delete with the data', async () => {
    const page = async (b: Browser): Promise<string> => (await b.fetch('/tenants')).text();
    const op = await as('operator');
    const opPage = await page(op);
    expect(opPage).toContain('data-id="add-tenant-form"');
    expect(opPage).toContain('data-id="remove-beta"');
    expect(opPage).toContain('Also delete all its data');
    for (const who of ['owner', 'admin', 'viewer'] as const) {
      const html = await page(await as(who));
      expect(html).not.toContain('add-tenant-form');
      expect(html).not.toContain('Remove…');
    }
    const added = await op.fetch('/api/tenants', {
      method: 'POST',
      form: { csrf: op.csrf, name: 'zeta', community: '' },
    });
    expect(added.status).toBe(200);
    expect(await added.text()).toContain('data-id="tenant-zeta"');
    const wrong = await op.fetch('/api/tenants/zeta/remove', {
      method: 'POST',
      form: { csrf: op.csrf, confirm: 'zet', deleteData: 'on' },
    });
    expect(wrong.status).toBe(400);
    // The refusal page leads back to the tenant list (an operator holds no role in the tenant to open its page).
    expect(await wrong.text()).toContain('<a href="/tenants">Tenants</a>');
    expect((await tenant('zeta'))?.status).toBe('active');
    const removed = await op.fetch('/api/tenants/zeta/remove', {
      method: 'POST',
      form: { csrf: op.csrf, confirm: 'zeta', deleteData: 'on' },
    });
    expect(removed.status).toBe(200);
    const html = await removed.text();
    expect(html).toContain('Tenant &#39;zeta&#39; and all its data deleted.');
    expect(html).not.toContain('data-id="tenant-zeta"');
    expect(await tenant('zeta')).toBeUndefined();
    expect((await audit('tenants.remove')).at(-1)?.details).toEqual({
      tenant: 'zeta',
      deleteData: true,
      revocations: {},
    });
  });
});
