import { startEmulators, type EmulatorFleet, type RunningEmulator } from '../../../org-emulator';
import { fetchUserInfo, requestToken } from '../../../sync/connection/token-endpoint';
import { TightknitError } from '../../../sync/errors';
import { usePostgres } from '../../../test-support/postgres';
import { loadTenantCredentials } from '../../tenant-state/credentials';
import { auditOf, contains, dumpDatabase, startTestServer, type Answer, type TestServer } from './helpers';

const unescape = (s: string): string => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));

/** Plays the browser: start (with a login URL) → the org's login form → the callback. */
async function connectOrg(
  server: TestServer,
  tenant: string,
  org: RunningEmulator,
  opts: { user?: 'integration' | 'unapproved'; tamper?: (callback: URL) => void; sid?: string } = {},
): Promise<Answer & { callback: URL }> {
  const sid = opts.sid ?? `session-${tenant}`;
  const start = await server.call(
    `/connect/salesforce/start?tenant=${tenant}&login_url=${encodeURIComponent(org.loginUrl)}`,
    { admin: tenant, sid },
  );
  expect(start.status).toBe(302);
  const authorize = new URL(start.location as string);
  expect(authorize.origin).toBe(org.loginUrl);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  const form = new URLSearchParams();
  const page = await (await fetch(authorize)).text();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    form.set(unescape(m[1]), unescape(m[2]));
  const user = org.users[opts.user ?? 'integration'];
  form.set('username', user.username);
  form.set('pw', user.password);
  const login = await fetch(`${org.loginUrl}/services/oauth2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const callback = new URL(login.headers.get('location') as string);
  opts.tamper?.(callback);
  return { ...(await server.call(callback.pathname + callback.search, { sid })), callback };
}

describe('server connect: Salesforce web flow (PKCE) per tenant', () => {
  const pg = usePostgres();
  let server: TestServer;
  let fleet: EmulatorFleet;
  const orgOf = async (tenant: string): Promise<string | null> =>
    (await server.pool.query<{ org: string | null }>('SELECT org FROM tenants WHERE name = $1', [tenant])).rows[0].org;

  beforeAll(async () => {
    server = await startTestServer(pg.url, ['acme', 'globex', 'initech']);
    fleet = await startEmulators({ orgs: 2 });
    const [one] = fleet.orgs;
    server.ctx.settings.salesforce = {
      clientId: one.clientId,
      clientSecret: one.clientSecret,
      // The org emulator accepts http://127.0.0.1:<port>/callback as a registered callback URL.
      callbackUrl: `${server.origin}/callback`,
      allowLoopbackLoginUrls: true,
    };
  }, 60_000);
  afterAll(async () => {
    await fleet.close();
    await server.close();
  });

  it('connects two tenants to two orgs; the refresh token, sealed, opens the right org', async () => {
    const [one, two] = fleet.orgs;
    const a = await connectOrg(server, 'acme', one);
    expect(a.status).toBe(200);
    expect(a.text).toContain('Salesforce connected');
    expect((await connectOrg(server, 'globex', two)).status).toBe(200);

    for (const [tenant, org] of [
      ['acme', one],
      ['globex', two],
    ] as const) {
      const creds = await loadTenantCredentials(server.pool, server.keys, { id: server.tenants[tenant], name: tenant });
      expect(creds).toMatchObject({ method: 'web', loginUrl: org.loginUrl, instanceUrl: org.instanceUrl });
      const renewed = await requestToken(creds.loginUrl, 'refresh', {
        grant_type: 'refresh_token',
        refresh_token: creds.secrets.refreshToken as string,
        client_id: creds.clientId as string,
        client_secret: org.clientSecret,
      });
      const who = await fetchUserInfo(renewed.instance_url, renewed.access_token);
      expect(who.orgId).toBe(await orgOf(tenant));
      expect(creds.orgId).toBe(who.orgId);
    }
    expect(await orgOf('acme')).not.toBe(await orgOf('globex'));
    // Each connect is on the audit trail as the signed-in person, with ids only.
    expect(await auditOf(server, 'acme')).toEqual([
      {
        actor: 'session-acme@people.test',
        action: 'connect',
        details: { method: 'web', org: await orgOf('acme'), instanceUrl: one.instanceUrl },
      },
    ]);

    const acme = await loadTenantCredentials(server.pool, server.keys, { id: server.tenants.acme, name: 'acme' });
    const dump = await dumpDatabase(server.pool);
    const said = [...server.transcript.answers, ...server.transcript.log.map((l) => l.message)].join('\n');
    for (const secret of [acme.secrets.refreshToken as string, acme.secrets.accessToken as string]) {
      expect(contains(dump, secret)).toBe(false);
      expect(said.includes(secret)).toBe(false);
    }
  });

  it('lets a second community connect an org another one uses (each pushes its own Community record)', async () => {
    expect((await connectOrg(server, 'initech', fleet.orgs[0])).status).toBe(200);
    expect(await orgOf('initech')).toBe(await orgOf('acme'));
  });

  it('refuses a tampered state, a replayed callback and a spent code; says why an unapproved user was refused', async () => {
    const two = fleet.orgs[1];
    const tampered = await connectOrg(server, 'globex', two, {
      tamper: (cb) => cb.searchParams.set('state', `${cb.searchParams.get('state') as string}x`),
    });
    expect(tampered.status).toBe(400);
    expect(tampered.text).toContain('Sign-in not accepted');

    const ok = await connectOrg(server, 'globex', two);
    expect(ok.status).toBe(200);
    const replay = await server.call(ok.callback.pathname + ok.callback.search, { sid: 'session-globex' });
    expect(replay.status).toBe(400);
    const spent = ok.callback.searchParams.get('code') as string;
    const reused = await connectOrg(server, 'globex', two, { tamper: (cb) => cb.searchParams.set('code', spent) });
    expect(reused.status).toBe(400);
    expect(reused.text).toContain('The authorization code was used, expired, or did not match');

    const unapproved = await connectOrg(server, 'globex', two, { user: 'unapproved' });
    expect(unapproved.status).toBe(400);
    expect(unapproved.text).toContain('not approved');
    expect(await orgOf('globex')).not.toBeNull();
  });

  it('refuses login URLs that are not Salesforce’s (the code and the secret would go there)', async () => {
    const start = (loginUrl: string): Promise<Answer> =>
      server.call(`/connect/salesforce/start?tenant=acme&login_url=${encodeURIComponent(loginUrl)}`, {
        admin: 'acme',
      });
    const evil = await start('https://login.salesforce.com.attacker.example');
    expect(evil.status).toBe(400);
    expect(evil.text).toContain('not a Salesforce login host');
    expect((await start('ftp://acme.my.salesforce.com')).text).toContain('not an http(s) URL');
    expect((await start('http://acme.my.salesforce.com')).status).toBe(400);
  });

  it('disconnects: the refresh token revoked at the org and forgotten, the org id cleared', async () => {
    const creds = await loadTenantCredentials(server.pool, server.keys, { id: server.tenants.acme, name: 'acme' });
    const r = await server.call('/connect/salesforce/disconnect?tenant=acme', {
      method: 'POST',
      admin: 'acme',
      sid: 'admin-of-acme',
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ tenant: 'acme', disconnected: true, revoked: true });
    expect((await auditOf(server, 'acme')).at(-1)).toEqual({
      actor: 'admin-of-acme@people.test',
      action: 'disconnect',
      details: { instanceUrl: creds.instanceUrl, revoked: true },
    });
    const refresh = requestToken(creds.loginUrl, 'refresh', {
      grant_type: 'refresh_token',
      refresh_token: creds.secrets.refreshToken as string,
      client_id: creds.clientId as string,
    });
    await expect(refresh).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REVOKED' });
    expect(await orgOf('acme')).toBeNull();
    const gone = await loadTenantCredentials(server.pool, server.keys, { id: server.tenants.acme, name: 'acme' }).catch(
      (e: unknown) => e,
    );
    expect(gone).toBeInstanceOf(TightknitError);
    expect((gone as TightknitError).code).toBe('NOT_CONNECTED');
    // initech shares the org and keeps its own authorization.
    expect(
      (await loadTenantCredentials(server.pool, server.keys, { id: server.tenants.initech, name: 'initech' })).orgId,
    ).toBe(await orgOf('initech'));
  });
});
