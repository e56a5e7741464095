import { createHash, createSign, randomBytes } from 'node:crypto';
import { Connection } from '@jsforce/jsforce-node';
import { RunningEmulator, startEmulator } from '../index';

// Expectations from Salesforce Help: "OAuth 2.0 Client Credentials Flow", "OAuth 2.0 Refresh Token
// Flow", "OAuth 2.0 Web Server Flow for Web App Integration" (PKCE), "OAuth 2.0 JWT Bearer Flow",
// "Revoke OAuth Tokens", "UserInfo Endpoint"; OAUTH_APP_ACCESS_DENIED from knowledge article 000212208.

async function token(
  emu: RunningEmulator,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(`${emu.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

async function query(emu: RunningEmulator, accessToken: string): Promise<number> {
  const res = await fetch(`${emu.instanceUrl}/services/data/v65.0/query?q=SELECT+Id+FROM+User`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  await res.text();
  return res.status;
}

function jwt(emu: RunningEmulator, claims: Record<string, unknown>, key = emu.jwtPrivateKeyPem): string {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc({ alg: 'RS256' })}.${enc(claims)}`;
  const sig = createSign('RSA-SHA256').update(body).sign(key).toString('base64url');
  return `${body}.${sig}`;
}

describe('OAuth endpoints', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    // Long enough that a loaded machine finishes a token + userinfo pair within it; the expiry test waits it out.
    emu = await startEmulator({ accessTokenTtlMs: 1500 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('client credentials runs as the integration user and issues no refresh token', async () => {
    const res = await token(emu, {
      grant_type: 'client_credentials',
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', instance_url: emu.instanceUrl });
    expect(res.body.refresh_token).toBeUndefined();
    expect(res.body.id).toBe(`${emu.loginUrl}/id/${res.body.id.split('/')[4]}/${emu.users.integration.id}`);
    const info = await fetch(`${emu.loginUrl}/services/oauth2/userinfo`, {
      headers: { Authorization: `Bearer ${res.body.access_token}` },
    });
    expect(((await info.json()) as { preferred_username: string }).preferred_username).toBe(
      emu.users.integration.username,
    );
  });

  it('rejects a wrong secret and an unknown client', async () => {
    const bad = await token(emu, { grant_type: 'client_credentials', client_id: emu.clientId, client_secret: 'nope' });
    expect(bad).toEqual({
      status: 400,
      body: { error: 'invalid_client', error_description: 'invalid client credentials' },
    });
    const unknown = await token(emu, {
      grant_type: 'client_credentials',
      client_id: 'x',
      client_secret: emu.clientSecret,
    });
    expect(unknown.body.error).toBe('invalid_client_id');
  });

  it('expires access tokens after their lifetime; the refresh token gets a new one; revoke kills both', async () => {
    const { accessToken, refreshToken } = emu.issueTokens('integration');
    expect(await query(emu, accessToken)).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect(await query(emu, accessToken)).toBe(401);
    const refreshed = await token(emu, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
    });
    expect(refreshed.status).toBe(200);
    expect(await query(emu, refreshed.body.access_token)).toBe(200);
    const revoke = await fetch(`${emu.loginUrl}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(refreshToken)}`,
    });
    expect(revoke.status).toBe(200);
    expect(await query(emu, refreshed.body.access_token)).toBe(401);
    const again = await token(emu, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: emu.clientId,
    });
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
  });

  it('answers an invalid session with 401 INVALID_SESSION_ID', async () => {
    const res = await fetch(`${emu.instanceUrl}/services/data/v65.0/limits`, {
      headers: { Authorization: 'Bearer nope' },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });
});

describe('web server flow with PKCE', () => {
  let emu: RunningEmulator;
  const redirectUri = 'http://127.0.0.1:4567/callback';
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  const params = (extra: Record<string, string> = {}): URLSearchParams =>
    new URLSearchParams({
      response_type: 'code',
      client_id: emu.clientId,
      redirect_uri: redirectUri,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'st8',
      ...extra,
    });

  async function login(username: string, password: string): Promise<Response> {
    return fetch(`${emu.loginUrl}/services/oauth2/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: params({ username, pw: password }).toString(),
    });
  }

  it('shows a login page, redirects with a code, and exchanges it only with the right verifier', async () => {
    const page = await fetch(`${emu.loginUrl}/services/oauth2/authorize?${params().toString()}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="code_challenge"');
    const res = await login(emu.users.integration.username, emu.users.integration.password);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('st8');
    const code = location.searchParams.get('code') ?? '';
    const wrong = await token(emu, {
      grant_type: 'authorization_code',
      code,
      client_id: emu.clientId,
      redirect_uri: redirectUri,
      code_verifier: 'wrong',
    });
    expect(wrong.body).toEqual({ error: 'invalid_grant', error_description: 'invalid code verifier' });

    const res2 = await login(emu.users.integration.username, emu.users.integration.password);
    const code2 = new URL(res2.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const ok = await token(emu, {
      grant_type: 'authorization_code',
      code: code2,
      client_id: emu.clientId,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.refresh_token).toBeTruthy();
    const reused = await token(emu, {
      grant_type: 'authorization_code',
      code: code2,
      client_id: emu.clientId,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(reused.body.error).toBe('invalid_grant');
  });

  it('requires a code challenge (PKCE is required by default on External Client Apps)', async () => {
    const res = await fetch(`${emu.loginUrl}/services/oauth2/authorize?${params({ code_challenge: '' }).toString()}`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses unapproved users with OAUTH_APP_ACCESS_DENIED and keeps API-only users out of the UI', async () => {
    const denied = await login(emu.users.unapproved.username, emu.users.unapproved.password);
    const location = new URL(denied.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('OAUTH_APP_ACCESS_DENIED');
    expect(location.searchParams.get('error_description')).toBe('user is not admin approved to access this app');
    const apiOnly = await login(emu.users.apiOnly.username, emu.users.apiOnly.password);
    expect(apiOnly.status).toBe(200);
    expect(await apiOnly.text()).toContain('API-only users cannot log in');
    const badPassword = await login(emu.users.admin.username, 'nope');
    expect(await badPassword.text()).toContain('Please check your username and password');
  });

  it('rejects an unregistered redirect_uri', async () => {
    const res = await fetch(
      `${emu.loginUrl}/services/oauth2/authorize?${params({ redirect_uri: 'https://evil.example/cb' }).toString()}`,
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('redirect_uri_mismatch');
  });
});

describe('JWT bearer flow', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });
  const exp = (): number => Math.floor(Date.now() / 1000) + 180;
  const grant = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

  it('issues a token for a signed assertion with iss = client id, sub = username, aud = login URL', async () => {
    const assertion = jwt(emu, {
      iss: emu.clientId,
      sub: emu.users.integration.username,
      aud: emu.loginUrl,
      exp: exp(),
    });
    const res = await token(emu, { grant_type: grant, assertion });
    expect(res.status).toBe(200);
    expect(await query(emu, res.body.access_token)).toBe(200);
  });

  it('rejects a bad signature, audience, expiry and unapproved users', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const base = { iss: emu.clientId, sub: emu.users.integration.username, aud: emu.loginUrl, exp: exp() };
    expect((await token(emu, { grant_type: grant, assertion: jwt(emu, base, other) })).body).toEqual({
      error: 'invalid_grant',
      error_description: 'invalid assertion',
    });
    expect(
      (await token(emu, { grant_type: grant, assertion: jwt(emu, { ...base, aud: 'https://login.example' }) })).body
        .error_description,
    ).toBe('audience is invalid');
    expect((await token(emu, { grant_type: grant, assertion: jwt(emu, { ...base, exp: 1000 }) })).body.error).toBe(
      'invalid_grant',
    );
    expect((await token(emu, { grant_type: grant, assertion: jwt(emu, { ...base, iss: 'other' }) })).body.error).toBe(
      'invalid_client_id',
    );
    const unapproved = await token(emu, {
      grant_type: grant,
      assertion: jwt(emu, { ...base, sub: emu.users.unapproved.username }),
    });
    expect(unapproved.body).toEqual({
      error: 'invalid_app_access',
      error_description: 'user is not admin approved to access this app',
    });
  });
});

describe('jsforce session refresh', () => {
  it('refreshes the access token on 401 INVALID_SESSION_ID when tokens expire after N calls', async () => {
    const emu = await startEmulator({ faults: { expireTokensAfterCalls: 2 } });
    try {
      const { accessToken, refreshToken } = emu.issueTokens('integration');
      const conn = new Connection({
        oauth2: { clientId: emu.clientId, clientSecret: emu.clientSecret, loginUrl: emu.loginUrl },
        instanceUrl: emu.instanceUrl,
        accessToken,
        refreshToken,
        version: '65.0',
      });
      let refreshed = 0;
      conn.on('refresh', () => refreshed++);
      for (let i = 0; i < 5; i++) expect((await conn.query('SELECT Id FROM User')).totalSize).toBe(4);
      expect(refreshed).toBeGreaterThanOrEqual(2);
    } finally {
      await emu.close();
    }
  });
});
