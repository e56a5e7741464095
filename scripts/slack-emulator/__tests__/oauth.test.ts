import { WebClient } from '@slack/web-api';
import { generateWorkspace, SlackApp, startSlackApp } from '../index';

const REDIRECT = 'http://127.0.0.1:9/connect/slack/callback';

/** Plays the person on the authorize page: loads it, then posts its form with a decision. */
async function install(
  app: SlackApp,
  opts: { team?: string; decision?: 'allow' | 'deny'; redirect?: string; scope?: string } = {},
): Promise<URL> {
  const authorize = new URL('/oauth/v2/authorize', app.apiUrl);
  authorize.search = new URLSearchParams({
    client_id: app.clientId,
    scope: opts.scope ?? 'channels:read,users:read',
    redirect_uri: opts.redirect ?? REDIRECT,
    state: 'st-1',
  }).toString();
  const page = await fetch(authorize);
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) form.set(m[1], m[2]);
  form.set('team', opts.team ?? app.workspaces[0].teamId);
  form.set('decision', opts.decision ?? 'allow');
  const res = await fetch(new URL('/oauth/v2/authorize', app.apiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') as string);
}

async function access(app: SlackApp, params: Record<string, string>, secret = app.clientSecret) {
  const res = await fetch(new URL('oauth.v2.access', app.apiUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${app.clientId}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams(params).toString(),
  });
  return (await res.json()) as Record<string, unknown> & { team?: { id: string }; access_token?: string };
}

describe('Slack emulator: OAuth v2 install of one app in several workspaces', () => {
  let app: SlackApp;
  const client = (token: string): WebClient =>
    new WebClient(token, { slackApiUrl: app.apiUrl, retryConfig: { retries: 0 } });

  beforeEach(async () => {
    app = await startSlackApp({
      workspaces: [1, 2].map((seed) => generateWorkspace({ members: 3, channels: 1, messages: 2, seed })),
      redirectUrls: ['http://127.0.0.1:9/connect/slack'],
    });
  });
  afterEach(() => app.close());

  it('installs into the chosen workspace: the code gives that workspace’s bot token, once', async () => {
    const two = app.workspaces[1];
    const back = await install(app, { team: two.teamId });
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code') as string;
    const granted = await access(app, { code, redirect_uri: REDIRECT });
    expect(granted).toMatchObject({ ok: true, token_type: 'bot', app_id: app.appId, team: { id: two.teamId } });
    expect(granted.access_token).toBe(two.botToken);
    expect((await client(granted.access_token as string).auth.test()).team_id).toBe(two.teamId);
    expect(await access(app, { code, redirect_uri: REDIRECT })).toEqual({ ok: false, error: 'invalid_code' });
  });

  it('checks the client secret, the redirect URL and the code’s age', async () => {
    const code = (await install(app)).searchParams.get('code') as string;
    expect(await access(app, { code, redirect_uri: REDIRECT }, 'wrong')).toEqual({
      ok: false,
      error: 'bad_client_secret',
    });
    expect(await access(app, { code, redirect_uri: 'http://127.0.0.1:9/connect/slack/other' })).toEqual({
      ok: false,
      error: 'bad_redirect_uri',
    });
    const late = (await install(app)).searchParams.get('code') as string;
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 11 * 60_000);
    try {
      expect(await access(app, { code: late, redirect_uri: REDIRECT })).toEqual({ ok: false, error: 'invalid_code' });
    } finally {
      clock.mockRestore();
    }
  });

  it('refuses an unregistered redirect URL and unknown scopes on the page; Cancel comes back as access_denied', async () => {
    const authorize = new URL('/oauth/v2/authorize', app.apiUrl);
    authorize.search = new URLSearchParams({
      client_id: app.clientId,
      scope: 'channels:read',
      redirect_uri: 'https://attacker.example/connect/slack/callback',
    }).toString();
    const bad = await fetch(authorize);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('bad_redirect_uri');
    authorize.searchParams.set('redirect_uri', REDIRECT);
    authorize.searchParams.set('scope', 'chat:write');
    expect(await (await fetch(authorize)).text()).toContain('invalid_scope');
    const denied = await install(app, { decision: 'deny' });
    expect(Object.fromEntries(denied.searchParams)).toEqual({ error: 'access_denied', state: 'st-1' });
  });

  it('auth.revoke ends the token; installing again issues a new one', async () => {
    const one = app.workspaces[0];
    const old = one.botToken;
    expect(await client(old).auth.revoke()).toMatchObject({ ok: true, revoked: true });
    await expect(client(old).auth.test()).rejects.toThrow(/token_revoked|invalid_auth/);
    const code = (await install(app)).searchParams.get('code') as string;
    const granted = await access(app, { code, redirect_uri: REDIRECT });
    expect(granted.access_token).not.toBe(old);
    expect(one.botToken).toBe(granted.access_token);
    expect((await client(one.botToken).auth.test()).team_id).toBe(one.teamId);
  });
});
