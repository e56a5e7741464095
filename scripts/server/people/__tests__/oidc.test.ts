import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { Browser, PEOPLE, seed, testPool } from './helpers';
import { serveWithProvider } from './oidc-helpers';

jest.setTimeout(60_000);

/**
 * Single sign-on against a real OpenID provider (oidc-provider in a child process): discovery, code +
 * PKCE, state and nonce, ID token checks; invitations accepted only by the invited, verified email.
 */
describe('OpenID Connect sign-in', () => {
  afterAll(async () => pool.end());
  const pg = usePostgres();
  let pool: Pool;
  let env: Awaited<ReturnType<typeof serveWithProvider>>;

  beforeAll(async () => {
    pool = testPool(pg.url);
    await seed(pool);
    env = await serveWithProvider(pool);
  });
  afterAll(async () => env.close());

  /**
   * Follows redirects from `path` through the provider; signs in there as `email` when it asks. Stops
   * before the callback when `stopAtCallback`, returning its URL. Returns the last response.
   */
  async function sso(
    b: Browser,
    email: string,
    opts: { start?: string; unverified?: boolean; stopAtCallback?: boolean } = {},
  ) {
    let url = `${env.origin}${opts.start ?? '/auth/oidc/start'}`;
    for (let i = 0; i < 12; i += 1) {
      if (url.startsWith(env.issuer) && /\/interaction\/[^/?]+$/.test(url)) {
        url += `?email=${encodeURIComponent(email)}${opts.unverified ? '&unverified=1' : ''}`;
      }
      if (opts.stopAtCallback && url.includes('/auth/oidc/callback')) return { url, res: undefined };
      const res = await b.fetch(url);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { url, res };
      url = new URL(location, url).toString();
    }
    throw new Error(`too many redirects, at ${url}`);
  }

  const setTamper = (mode: string): Promise<Response> =>
    fetch(`${env.issuer}/__tamper?mode=${mode}`, { method: 'POST' });
  const lastAudit = async (action: string): Promise<{ actor: string; details: { reason?: string } }> =>
    (
      await pool.query<{ actor: string; details: { reason?: string } }>(
        'SELECT actor, details FROM audit_events WHERE action = $1 ORDER BY id DESC LIMIT 1',
        [action],
      )
    ).rows[0];

  it('signs a known person in: code + PKCE, state and nonce, and lands on their account page', async () => {
    const b = new Browser(env.origin);
    const start = await b.fetch('/auth/oidc/start');
    const auth = new URL(start.headers.get('location')!);
    expect(auth.origin).toBe(env.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    for (const p of ['state', 'nonce', 'code_challenge']) expect(auth.searchParams.get(p)).toMatch(/^[\w-]{20,}$/);
    const { res } = await sso(b, PEOPLE.viewer);
    expect(res!.status).toBe(200);
    expect(await res!.text()).toContain('viewer in <strong>acme</strong>');
  });

  it('refuses a replayed authorization code and a reused state, and audits both', async () => {
    const b = new Browser(env.origin);
    const { url } = await sso(b, PEOPLE.admin, { stopAtCallback: true });
    const state = new URL(url).searchParams.get('state')!;
    const attempt = (
      await pool.query('SELECT * FROM oidc_attempts WHERE state_hash = $1', [
        createHash('sha256').update(state).digest('hex'),
      ])
    ).rows[0] as Record<string, unknown>;
    expect((await b.fetch(url)).status).toBe(303);
    const reusedState = await new Browser(env.origin).fetch(url);
    expect(reusedState.status).toBe(401);
    expect(await reusedState.text()).toContain('unknown or expired state');
    // Put the state back: the code itself is then presented again, and the provider refuses it.
    await pool.query('INSERT INTO oidc_attempts SELECT * FROM json_populate_record(NULL::oidc_attempts, $1)', [
      JSON.stringify(attempt),
    ]);
    const replay = await new Browser(env.origin).fetch(url);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toMatch(/answer was refused: .*(invalid_grant|grant)/i);
    expect((await lastAudit('signin.failed')).details.reason).toMatch(/refused/);
  });

  it.each([
    ['aud', /aud/],
    ['iss', /iss/],
    ['nonce', /nonce/],
    ['signature', /signature/i],
  ])('refuses an ID token with a wrong %s', async (mode, pattern) => {
    await setTamper(mode);
    try {
      const b = new Browser(env.origin);
      const { res } = await sso(b, PEOPLE.owner);
      expect(res!.status).toBe(401);
      expect(await res!.text()).toMatch(pattern);
      expect(b.cookies.has('tk_session')).toBe(false);
      expect((await lastAudit('signin.failed')).details.reason).toMatch(pattern);
    } finally {
      await setTamper('none');
    }
  });

  it('refuses an unverified email, and a person with no role here', async () => {
    const unverified = await sso(new Browser(env.origin), 'someone@example.com', { unverified: true });
    expect(await unverified.res!.text()).toContain('has not verified someone@example.com');
    const stranger = await sso(new Browser(env.origin), 'stranger@example.com');
    expect(stranger.res!.status).toBe(401);
    expect(await stranger.res!.text()).toContain('stranger@example.com has no role here');
  });

  it('accepts an invitation only for the invited email', async () => {
    const admin = new Browser(env.origin);
    await admin.signIn(PEOPLE.admin);
    const invite = async (email: string): Promise<string> =>
      (
        (await (await admin.post('/api/people/invitations', { email, role: 'viewer' })).json()) as {
          invitationLink: string;
        }
      ).invitationLink
        .split('/')
        .at(-1)!;
    const token = await invite('invited@example.com');
    const wrong = await sso(new Browser(env.origin), 'impostor@example.com', {
      start: `/auth/oidc/start?invitation=${token}`,
    });
    expect(wrong.res!.status).toBe(400);
    expect(await wrong.res!.text()).toContain(
      'This invitation is for invited@example.com, but you signed in as impostor@example.com.',
    );
    expect(await lastAudit('invitation.refused')).toMatchObject({
      actor: 'impostor@example.com',
      details: { reason: 'email differs' },
    });
    expect((await pool.query("SELECT 1 FROM people WHERE email = 'impostor@example.com'")).rowCount).toBe(0);
    const right = new Browser(env.origin);
    const ok = await sso(right, 'invited@example.com', { start: `/auth/oidc/start?invitation=${token}` });
    expect(await ok.res!.text()).toContain('viewer in <strong>acme</strong>');
  });
});
