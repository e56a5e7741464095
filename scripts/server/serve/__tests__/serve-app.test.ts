import { hash } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { startEmulator, type RunningEmulator } from '../../../org-emulator';
import { usePostgres } from '../../../test-support/postgres';
import { migrate } from '../../db/migrate';
import { withTenant } from '../../db/tenant-scope';
import { Browser, PASSWORD } from '../../people/__tests__/helpers';
import { resolveMasterKeys } from '../../secrets/master-key';
import { addTenant, type Tenant } from '../../tenants';
import { loadTenantCredentials } from '../../tenant-state/credentials';
import { startServerProcess, type ServerProcess } from '../process';
import { ledgerRunner } from './ledger-runner';
import { FAST, captureLog } from './support';

const unescape = (s: string): string => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));

/** A port free right now, so the public URL (and the callback URL) can be known before serve listens. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

/** The org's login form, signed in as its integration user: resolves to the callback URL it redirects to. */
async function signInAtOrg(authorize: URL, org: RunningEmulator): Promise<URL> {
  const form = new URLSearchParams();
  const page = await (await fetch(authorize)).text();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    form.set(unescape(m[1]), unescape(m[2]));
  form.set('username', org.users.integration.username);
  form.set('pw', org.users.integration.password);
  const login = await fetch(`${org.loginUrl}/services/oauth2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  return new URL(login.headers.get('location') as string);
}

describe('serve mounts the people layer and the connect routes on its port', () => {
  afterAll(async () => {
    await proc?.stop();
    await emu?.close();
    await pool?.end();
  });
  const pg = usePostgres();
  const keys = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: randomBytes(32).toString('base64') });
  let pool: Pool;
  let emu: RunningEmulator;
  let proc: ServerProcess;
  let acme: Tenant;
  let origin: string;

  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    await migrate(pool);
    emu = await startEmulator();
    acme = (await addTenant(pool, keys, 'acme')).tenant;
    const hashed = await hash(PASSWORD);
    for (const [email, role] of [
      ['im@example.com', 'integrations-manager'],
      ['viewer@example.com', 'viewer'],
    ]) {
      const { rows } = await pool.query<{ id: string }>('INSERT INTO people (email) VALUES ($1) RETURNING id', [email]);
      await pool.query('INSERT INTO memberships (person_id, tenant_id, role) VALUES ($1, $2, $3)', [
        rows[0].id,
        acme.id,
        role,
      ]);
      await pool.query('INSERT INTO password_credentials (person_id, hash) VALUES ($1, $2)', [rows[0].id, hashed]);
    }
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    proc = await startServerProcess({
      url: pg.url,
      runner: ledgerRunner({ holdMs: 10 }),
      log: captureLog().log,
      concurrency: 1,
      tuning: FAST,
      ops: {
        port,
        host: '127.0.0.1',
        keys,
        connect: {
          publicUrl: origin,
          salesforce: {
            clientId: emu.clientId,
            clientSecret: emu.clientSecret,
            // The org emulator accepts http://127.0.0.1:<port>/callback as a registered callback URL.
            callbackUrl: `${origin}/callback`,
            allowLoopbackLoginUrls: true,
          },
        },
      },
    });
  }, 60_000);

  const startPath = (): string => `/connect/salesforce/start?tenant=acme&login_url=${encodeURIComponent(emu.loginUrl)}`;

  it('an integrations manager signs in with a password and connects the tenant’s org', async () => {
    expect(proc.opsUrl).toBe(origin);
    const im = new Browser(origin);
    expect((await im.signIn('im@example.com')).status).toBe(303);
    // The tenant page links to the connect routes for a role allowed to connect.
    const tenantPage = await (await im.fetch('/tenants/acme', { headers: { accept: 'text/html' } })).text();
    expect(tenantPage).toContain('href="/connect/salesforce/start?tenant=acme"');
    expect(tenantPage).toContain('href="/connect/slack/start?tenant=acme"');
    const start = await im.fetch(startPath());
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') as string);
    expect(authorize.origin).toBe(emu.loginUrl);
    const callback = await signInAtOrg(authorize, emu);
    expect(callback.origin).toBe(origin);
    const done = await im.fetch(callback.pathname + callback.search);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Salesforce connected');
    const creds = await loadTenantCredentials(pool, keys, acme);
    const { rows } = await pool.query<{ org: string }>('SELECT org FROM tenants WHERE id = $1', [acme.id]);
    expect(creds).toMatchObject({ method: 'web', loginUrl: emu.loginUrl, orgId: rows[0].org });
    const audited = await withTenant(pool, acme.id, (c) =>
      c.query<{ actor: string; details: Record<string, unknown> }>(
        "SELECT actor, details FROM audit_events WHERE action = 'connect'",
      ),
    );
    expect(audited.rows).toEqual([
      { actor: 'im@example.com', details: { method: 'web', org: rows[0].org, instanceUrl: creds.instanceUrl } },
    ]);
    // The same port still answers /healthz and /metrics.
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${origin}/metrics`)).text()).toContain('tightknit_runs');
  });

  it('a viewer, or no session, gets 403 on the start route; the refusal is audited', async () => {
    const viewer = new Browser(origin);
    expect((await viewer.signIn('viewer@example.com')).status).toBe(303);
    const refused = await viewer.fetch(startPath());
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('You may not connect or disconnect acme');
    const seen = await (await viewer.fetch('/tenants/acme', { headers: { accept: 'text/html' } })).text();
    expect(seen).toContain('data-id="state"');
    expect(seen).not.toContain('data-id="connect"');
    expect((await new Browser(origin).fetch(startPath())).status).toBe(403);
    const { rows } = await withTenant(pool, acme.id, (c) =>
      c.query<{ actor: string; action: string }>(
        "SELECT actor, action FROM audit_events WHERE action = 'access.denied'",
      ),
    );
    expect(rows).toEqual([{ actor: 'viewer@example.com', action: 'access.denied' }]);
  });

  it('a disconnect without the session’s CSRF token is refused; with it, the org is disconnected', async () => {
    const im = new Browser(origin);
    await im.signIn('im@example.com');
    const forged = await im.fetch('/connect/salesforce/disconnect?tenant=acme', { method: 'POST' });
    expect(forged.status).toBe(403);
    const r = await im.post('/connect/salesforce/disconnect?tenant=acme');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ tenant: 'acme', disconnected: true, revoked: true });
    const { rows } = await withTenant(pool, acme.id, (c) =>
      c.query<{ actor: string }>("SELECT actor FROM audit_events WHERE action = 'disconnect'"),
    );
    expect(rows).toEqual([{ actor: 'im@example.com' }]);
  });
});
