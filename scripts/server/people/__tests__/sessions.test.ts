import { get } from 'node:http';
import type { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { removeUser } from '../people';
import { Browser, PASSWORD, PEOPLE, seed, serve, testPool } from './helpers';

/** Session cookies, CSRF, timeouts, logout everywhere, revocation and the security headers. */
describe('sessions and the HTTP layer', () => {
  afterAll(async () => pool.end());
  const pg = usePostgres();
  let pool: Pool;
  let server: Awaited<ReturnType<typeof serve>>;
  let ids: { acme: number; beta: number };

  beforeAll(async () => {
    pool = testPool(pg.url);
    ids = await seed(pool);
    server = await serve({ pool, trustProxy: true, rules: { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 } });
  });
  afterAll(async () => server.close());

  const audit = async (action: string): Promise<Array<{ actor: string; details: Record<string, unknown> }>> =>
    (
      await pool.query<{ actor: string; details: Record<string, unknown> }>(
        'SELECT actor, details FROM audit_events WHERE action = $1 ORDER BY id',
        [action],
      )
    ).rows;

  it('sets an HttpOnly, SameSite=Lax cookie (Secure off loopback) and the security headers', async () => {
    const b = new Browser(server.origin);
    const csrf = await b.formToken('/signin');
    const res = await b.fetch('/signin', { method: 'POST', form: { email: PEOPLE.viewer, password: PASSWORD, csrf } });
    expect(res.status).toBe(303);
    const session = res.headers.getSetCookie().find((c) => c.startsWith('tk_session='))!;
    expect(session).toMatch(/; HttpOnly; SameSite=Lax; Path=\//);
    expect(session).not.toContain('Secure');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    // Reached by a public name, the same server marks its cookies Secure.
    // (fetch does not let a caller set Host; node:http does.)
    const cookieOff = await new Promise<string[]>((resolve, reject) => {
      get(`${server.origin}/signin`, { headers: { host: 'sync.example.com' } }, (r) => {
        r.resume();
        resolve(r.headers['set-cookie'] ?? []);
      }).on('error', reject);
    });
    expect(cookieOff[0]).toMatch(/; Secure$/);
  });

  it('refuses a state-changing request without the CSRF token, or with a wrong one, and audits it', async () => {
    const b = new Browser(server.origin);
    await b.signIn(PEOPLE.admin);
    const none = await b.fetch('/api/people/invitations', {
      method: 'POST',
      json: { email: 'x@example.com', role: 'viewer' },
    });
    expect(none.status).toBe(403);
    expect(await none.text()).toContain('CSRF_FAILED');
    const wrong = await b.fetch('/api/people/invitations', {
      method: 'POST',
      json: { email: 'x@example.com', role: 'viewer' },
      headers: { 'x-csrf-token': 'not-the-token' },
    });
    expect(wrong.status).toBe(403);
    expect((await pool.query('SELECT 1 FROM invitations')).rowCount).toBe(0);
    expect((await audit('csrf.refused')).map((r) => r.details.reason)).toEqual(['no token', 'wrong token']);
    // The sign-in form too: a post without the form cookie's token is refused before any password check.
    const anon = new Browser(server.origin);
    const forged = await anon.fetch('/signin', { method: 'POST', form: { email: PEOPLE.admin, password: PASSWORD } });
    expect(forged.status).toBe(403);
    expect(anon.cookies.has('tk_session')).toBe(false);
  });

  it('ends a session after 30 idle minutes, and at its absolute lifetime', async () => {
    const idle = new Browser(server.origin);
    await idle.signIn(PEOPLE.viewer);
    expect((await idle.fetch('/api/session')).status).toBe(200);
    await pool.query("UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE revoked_at IS NULL");
    expect((await idle.fetch('/api/session')).status).toBe(401);
    const old = new Browser(server.origin);
    await old.signIn(PEOPLE.viewer);
    await pool.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE revoked_at IS NULL");
    expect((await old.fetch('/api/session')).status).toBe(401);
  });

  it('signs out one session, or every session of the person', async () => {
    const [a, b, c] = [1, 2, 3].map(() => new Browser(server.origin));
    for (const x of [a, b, c]) await x.signIn(PEOPLE['integrations-manager']);
    expect((await a.post('/signout')).status).toBe(200);
    expect((await a.fetch('/api/session')).status).toBe(401);
    expect((await b.fetch('/api/session')).status).toBe(200);
    const all = await b.post('/signout-everywhere');
    expect(await all.json()).toMatchObject({ signedOut: true, sessionsRevoked: 2 });
    expect((await c.fetch('/api/session')).status).toBe(401);
  });

  it('revokes the sessions of a person whose role is removed', async () => {
    const v = new Browser(server.origin);
    await v.signIn(PEOPLE.viewer);
    await removeUser(
      pool,
      { actor: 'cli:test' },
      {
        email: PEOPLE.viewer,
        tenant: { id: ids.acme, name: 'acme', status: 'active', createdAt: '', community: null, org: null },
      },
    );
    expect((await v.fetch('/api/session')).status).toBe(401);
  });

  it('an admin cannot make an owner or change one; the owner can; the people API lists the tenant', async () => {
    const admin = new Browser(server.origin);
    await admin.signIn(PEOPLE.admin);
    const up = await admin.post('/api/people/role', { email: PEOPLE.admin, role: 'owner' });
    expect(up.status).toBe(403);
    expect(await up.text()).toContain('needs the owner role; you are admin');
    const down = await admin.post('/api/people/role', { email: PEOPLE.owner, role: 'viewer' });
    expect(down.status).toBe(403);
    const owner = new Browser(server.origin);
    await owner.signIn(PEOPLE.owner);
    expect((await owner.post('/api/people/role', { email: PEOPLE.admin, role: 'owner' })).status).toBe(200);
    const list = (await (await owner.fetch('/api/people')).json()) as {
      people: Array<{ email: string; role: string }>;
    };
    expect(
      list.people
        .filter((p) => p.role === 'owner')
        .map((p) => p.email)
        .sort(),
    ).toEqual([PEOPLE.admin, PEOPLE.owner]);
    const bad = await owner.post('/api/people/role', { email: PEOPLE.admin, role: 'root' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain(
      "'root' is not a role. Roles: owner, admin, integrations-manager, viewer, operator",
    );
  });

  it('switches tenant only to one of the person’s own', async () => {
    const o = new Browser(server.origin);
    await o.signIn(PEOPLE.owner);
    const refused = await o.post('/api/session/tenant', { tenant: 'beta' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("You have no role in tenant 'beta'. Yours: acme.");
    void ids.beta;
  });

  it('the audit API filters by action, actor and time', async () => {
    const o = new Browser(server.origin);
    await o.signIn(PEOPLE.owner);
    const r = (await (
      await o.fetch(`/api/audit?action=people.set-role&actor=${encodeURIComponent(PEOPLE.owner)}&since=1h`)
    ).json()) as {
      entries: Array<{ action: string; actor: string; details: { before: { role: string }; after: { role: string } } }>;
    };
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0].details).toMatchObject({ before: { role: 'admin' }, after: { role: 'owner' } });
    expect((await o.fetch('/api/audit?since=not-a-time')).status).toBe(400);
  });
});
