import type { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { addUser, removeUser } from '../people';
import { Browser, PASSWORD, PEOPLE, seed, serve, testPool } from './helpers';

/** Email + password: lockout, rate limit, one-time password links, invitations accepted with a password. */
describe('password sign-in, links and invitations', () => {
  afterAll(async () => pool.end());
  const pg = usePostgres();
  let pool: Pool;
  let server: Awaited<ReturnType<typeof serve>>;
  let acme: number;

  beforeAll(async () => {
    pool = testPool(pg.url);
    acme = (await seed(pool)).acme;
    server = await serve({ pool, trustProxy: true });
  });
  afterAll(async () => server.close());

  const actions = async (action: string): Promise<Array<{ actor: string; details: Record<string, unknown> }>> =>
    (
      await pool.query<{ actor: string; details: Record<string, unknown> }>(
        'SELECT actor, details FROM audit_events WHERE action = $1 ORDER BY id',
        [action],
      )
    ).rows;
  const tokenOf = (link: string): string => link.split('/').at(-1)!;

  it('locks an account after 5 failed sign-ins, even against the right password, and audits each failure', async () => {
    const b = new Browser(server.origin, '10.2.0.1');
    for (let i = 0; i < 5; i += 1) {
      const r = await b.signIn(PEOPLE['integrations-manager'], 'wrong password, long enough');
      expect(r.status).toBe(401);
      expect(await r.text()).toContain('That email and password do not match an account here.');
    }
    const locked = await b.signIn(PEOPLE['integrations-manager']);
    expect(locked.status).toBe(401);
    expect(await locked.text()).toContain('This account is locked after 5 failed sign-ins.');
    const failed = await actions('signin.failed');
    expect(failed).toHaveLength(5);
    expect(failed.map((f) => f.details.locked)).toEqual([false, false, false, false, true]);
    expect(await actions('signin.locked')).toHaveLength(1);
    // An unknown address gets the same answer, and is audited as such.
    const unknown = await b.signIn('nobody@example.com', 'whatever it is here');
    expect(await unknown.text()).toContain('That email and password do not match an account here.');
    expect((await actions('signin.failed')).at(-1)?.details.reason).toBe('unknown email');
  });

  it('limits failed sign-ins per address: 20 in 15 minutes, then 429', async () => {
    const b = new Browser(server.origin, '10.3.0.1');
    for (let i = 0; i < 20; i += 1) expect((await b.signIn(`x${i}@example.com`, 'not the password!')).status).toBe(401);
    const limited = await b.signIn(PEOPLE.owner);
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('Too many failed sign-ins from your address');
    expect((await actions('signin.rate-limited')).map((r) => r.actor)).toEqual([PEOPLE.owner]);
    // Another address is not affected.
    expect((await new Browser(server.origin, '10.3.0.2').signIn(PEOPLE.owner)).status).toBe(303);
  });

  it("the first user's one-time link: refuses short and common passwords, then signs in; used once", async () => {
    const tenant = { id: acme, name: 'acme', status: 'active' as const, createdAt: '', community: null, org: null };
    const { passwordToken } = await addUser(
      pool,
      { actor: 'cli:test' },
      { email: 'first@example.com', role: 'viewer', tenant },
    );
    const b = new Browser(server.origin, '10.4.0.1');
    const path = `/password/${passwordToken!}`;
    const set = async (password: string): Promise<Response> =>
      b.fetch(path, { method: 'POST', form: { password, csrf: await b.formToken(path) } });
    const short = await set('too short');
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('Use at least 12 characters.');
    const common = await set('Password1234');
    expect(await common.text()).toContain('on the list of common, breached passwords');
    const ok = await set('three unrelated words here');
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/account');
    expect((await b.fetch('/api/session')).status).toBe(200);
    const again = await set('another good passphrase');
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This password link is not valid');
    expect((await actions('password.link-refused')).at(-1)?.details.reason).toBe('used or expired');
    expect(
      (await new Browser(server.origin, '10.4.0.2').signIn('first@example.com', 'three unrelated words here')).status,
    ).toBe(303);
  });

  it("an admin-issued reset link: only for this tenant's people; it ends their sessions", async () => {
    const admin = new Browser(server.origin, '10.5.0.1');
    await admin.signIn(PEOPLE.admin);
    const viewer = new Browser(server.origin, '10.5.0.2');
    await viewer.signIn(PEOPLE.viewer);
    const res = await admin.post('/api/people/password-link', { email: PEOPLE.viewer });
    expect(res.status).toBe(200);
    const { passwordLink } = (await res.json()) as { passwordLink: string };
    const path = `/password/${tokenOf(passwordLink)}`;
    const reset = new Browser(server.origin, '10.5.0.3');
    const done = await reset.fetch(path, {
      method: 'POST',
      form: { password: 'a brand new passphrase', csrf: await reset.formToken(path) },
    });
    expect(done.status).toBe(303);
    expect((await viewer.fetch('/api/session')).status).toBe(401);
    expect((await new Browser(server.origin, '10.5.0.4').signIn(PEOPLE.viewer, PASSWORD)).status).toBe(401);
    // The operator belongs to no tenant of this admin: not theirs to reset.
    const op = await admin.post('/api/people/password-link', { email: PEOPLE.operator });
    expect(op.status).toBe(404);
  });

  it('invitations: a one-time link, refused when tampered with, used or expired; accepted with a new password', async () => {
    const admin = new Browser(server.origin, '10.6.0.1');
    await admin.signIn(PEOPLE.admin);
    const res = await admin.post('/api/people/invitations', {
      email: 'New.Person@Example.com',
      role: 'integrations-manager',
    });
    const token = tokenOf(((await res.json()) as { invitationLink: string }).invitationLink);
    const validity = await pool.query<{ days: number }>(
      "SELECT extract(epoch FROM expires_at - created_at) / 86400 AS days FROM invitations WHERE email = 'new.person@example.com'",
    );
    expect(Number(validity.rows[0].days)).toBe(7);
    const guest = new Browser(server.origin, '10.6.0.2');
    const page = await guest.fetch(`/invitations/${token}`);
    expect(await page.text()).toContain('as new.person@example.com');
    const tampered = await guest.fetch(`/invitations/${token.slice(0, -2)}xx`);
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('This invitation link is not valid (mistyped or tampered with)');
    const accept = async (password: string): Promise<Response> =>
      guest.fetch(`/invitations/${token}`, {
        method: 'POST',
        form: { password, csrf: await guest.formToken('/signin') },
      });
    expect(await (await accept('short')).text()).toContain('Use at least 12 characters.');
    const ok = await accept('my own new passphrase');
    expect(ok.status).toBe(303);
    const me = (await (await guest.fetch('/api/session')).json()) as { email: string; tenant: { role: string } };
    expect(me).toMatchObject({
      email: 'new.person@example.com',
      tenant: { name: 'acme', role: 'integrations-manager' },
    });
    const reused = await new Browser(server.origin, '10.6.0.3').fetch(`/invitations/${token}`);
    expect(await reused.text()).toContain('it was accepted already');
    const late = await admin.post('/api/people/invitations', { email: 'late@example.com', role: 'viewer' });
    const lateToken = tokenOf(((await late.json()) as { invitationLink: string }).invitationLink);
    await pool.query(
      "UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE email = 'late@example.com'",
    );
    expect(await (await guest.fetch(`/invitations/${lateToken}`)).text()).toContain(
      'it has expired (invitations are valid 7 days)',
    );
    const refused = await actions('invitation.refused');
    expect(refused.map((r) => r.details.reason)).toEqual([
      'unknown token',
      'it was accepted already',
      'it has expired (invitations are valid 7 days)',
    ]);
    expect((await pool.query("SELECT 1 FROM people WHERE email = 'late@example.com'")).rowCount).toBe(0);
  });

  it('a person with no role left is refused at sign-in; an invitation accepted with their password brings them back', async () => {
    const tenant = { id: acme, name: 'acme', status: 'active' as const, createdAt: '', community: null, org: null };
    await removeUser(pool, { actor: 'cli:test' }, { email: PEOPLE.admin, tenant });
    const b = new Browser(server.origin, '10.7.0.1');
    const refused = await b.signIn(PEOPLE.admin);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('This account has no role here any more.');
    const owner = new Browser(server.origin, '10.7.0.2');
    await owner.signIn(PEOPLE.owner);
    const res = await owner.post('/api/people/invitations', { email: PEOPLE.admin, role: 'viewer' });
    const token = tokenOf(((await res.json()) as { invitationLink: string }).invitationLink);
    const ok = await b.fetch(`/invitations/${token}`, {
      method: 'POST',
      form: { password: PASSWORD, csrf: await b.formToken('/signin') },
    });
    expect(ok.status).toBe(303);
    expect(await (await b.fetch('/api/session')).json()).toMatchObject({ tenant: { name: 'acme', role: 'viewer' } });
  });
});
