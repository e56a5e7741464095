import { WebClient } from '@slack/web-api';
import { generateWorkspace, startSlackApp, type SlackApp } from '../../../slack-emulator';
import { usePostgres } from '../../../test-support/postgres';
import { loadTenantSlackCredentials } from '../../tenant-state/credentials';
import { auditOf, contains, dumpDatabase, installSlack as install, startTestServer, type TestServer } from './helpers';

describe('server connect: Slack OAuth v2 install per tenant', () => {
  const pg = usePostgres();
  let server: TestServer;
  let app: SlackApp;
  const teamOf = async (tenant: string): Promise<string | null> =>
    (await server.pool.query<{ t: string | null }>('SELECT slack_team_id AS t FROM tenants WHERE name = $1', [tenant]))
      .rows[0].t;

  beforeAll(async () => {
    server = await startTestServer(pg.url, ['acme', 'globex', 'initech']);
    app = await startSlackApp({
      workspaces: [1, 2, 3].map((seed) => generateWorkspace({ members: 3, channels: 1, messages: 2, seed })),
      redirectUrls: [`${server.origin}/connect/slack`],
    });
    server.ctx.settings.slack = {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      signingSecret: app.signingSecret,
      appId: app.appId,
      apiUrl: app.apiUrl,
    };
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await server.close();
  });

  it('installs two workspaces into two tenants; each token is stored encrypted and reads its own workspace', async () => {
    const [w1, w2] = app.workspaces;
    const a = await install(server, app, 'acme', w1.teamId);
    expect(a.status).toBe(200);
    expect(a.text).toContain(`connected to acme`);
    const g = await install(server, app, 'globex', w2.teamId);
    expect(g.status).toBe(200);
    expect(await teamOf('acme')).toBe(w1.teamId);
    expect(await teamOf('globex')).toBe(w2.teamId);

    const acme = await loadTenantSlackCredentials(server.pool, server.keys, { id: server.tenants.acme, name: 'acme' });
    const globex = await loadTenantSlackCredentials(server.pool, server.keys, {
      id: server.tenants.globex,
      name: 'globex',
    });
    expect(acme?.info.teamId).toBe(w1.teamId);
    expect(globex?.info.teamId).toBe(w2.teamId);
    const auth = await new WebClient(acme?.secrets.botToken, { slackApiUrl: app.apiUrl }).auth.test();
    expect(auth.team_id).toBe(w1.teamId);
    expect(
      await loadTenantSlackCredentials(server.pool, server.keys, { id: server.tenants.initech, name: 'initech' }),
    ).toBeUndefined();

    // The tokens are in no table in clear (nor hex), nor in any answer or log line.
    const dump = await dumpDatabase(server.pool);
    const said = [...server.transcript.answers, ...server.transcript.log.map((l) => l.message)].join('\n');
    for (const token of [w1.botToken, w2.botToken]) {
      expect(contains(dump, token)).toBe(false);
      expect(said.includes(token)).toBe(false);
    }
    expect(dump).toContain(w1.teamId);
    // Each install is on the audit trail as the signed-in person, with the team id only.
    expect(await auditOf(server, 'acme')).toEqual([
      { actor: 'session-acme@people.test', action: 'slack.install', details: { teamId: w1.teamId } },
    ]);
  });

  it('refuses a workspace bound to another tenant, with a page that says so; nothing changes', async () => {
    const w1 = app.workspaces[0];
    const r = await install(server, app, 'initech', w1.teamId);
    expect(r.status).toBe(409);
    expect(r.text).toContain('connected to another community');
    expect(r.text).not.toContain('acme');
    expect(await teamOf('initech')).toBeNull();
    expect(await teamOf('acme')).toBe(w1.teamId);
    expect(
      await loadTenantSlackCredentials(server.pool, server.keys, { id: server.tenants.initech, name: 'initech' }),
    ).toBeUndefined();
  });

  it('says so when the install is cancelled on Slack’s page', async () => {
    const r = await install(server, app, 'initech', app.workspaces[2].teamId, { decision: 'deny' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('cancelled');
    expect(await teamOf('initech')).toBeNull();
  });

  it('refuses a tampered state, a replayed callback, a replayed code and another session', async () => {
    const w3 = app.workspaces[2].teamId;
    const tampered = await install(server, app, 'initech', w3, {
      tamper: (cb) => {
        const state = cb.searchParams.get('state') as string;
        const [payload, mac] = state.split('.');
        const forged = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { t: number };
        forged.t = server.tenants.acme;
        cb.searchParams.set('state', `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`);
      },
    });
    expect(tampered.status).toBe(400);
    expect(tampered.text).toContain('Sign-in not accepted');
    expect(await teamOf('initech')).toBeNull();

    const other = await install(server, app, 'initech', w3, { sid: 'one', callbackSid: 'two' });
    expect(other.status).toBe(400);
    expect(other.text).toContain('another browser session');

    const ok = await install(server, app, 'initech', w3);
    expect(ok.status).toBe(200);
    const replay = await server.call(ok.callback.pathname + ok.callback.search, { sid: 'session-initech' });
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('finished already');

    // A fresh, valid state carrying a code that was spent: Slack refuses the code, the page says why.
    const spent = ok.callback.searchParams.get('code') as string;
    const reused = await install(server, app, 'initech', w3, { tamper: (cb) => cb.searchParams.set('code', spent) });
    expect(reused.status).toBe(400);
    expect(reused.text).toContain('used already');
  });

  it('guards start and disconnect with serve’s decision and the tenant’s existence', async () => {
    expect((await server.call('/connect/slack/start?tenant=acme', { admin: 'globex' })).status).toBe(403);
    const unknown = await server.call('/connect/slack/start?tenant=nope', { admin: 'nope' });
    expect(unknown.status).toBe(404);
    expect((await server.call('/connect/slack/disconnect?tenant=acme', { admin: 'acme' })).status).toBe(405);
  });

  it('disconnects: auth.revoke, the token and the binding forgotten, the workspace free for another tenant', async () => {
    const w2 = app.workspaces[1];
    const token = w2.botToken;
    const r = await server.call('/connect/slack/disconnect?tenant=globex', {
      method: 'POST',
      admin: 'globex',
      sid: 'admin-of-globex',
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ tenant: 'globex', disconnected: true, revoked: true });
    expect((await auditOf(server, 'globex')).at(-1)).toEqual({
      actor: 'admin-of-globex@people.test',
      action: 'slack.disconnect',
      details: { teamId: w2.teamId, revoked: true },
    });
    await expect(
      new WebClient(token, { slackApiUrl: app.apiUrl, retryConfig: { retries: 0 } }).auth.test(),
    ).rejects.toThrow(/token_revoked/);
    expect(
      await loadTenantSlackCredentials(server.pool, server.keys, { id: server.tenants.globex, name: 'globex' }),
    ).toBeUndefined();
    expect(await teamOf('globex')).toBeNull();
    // initech is connected to workspace 3; after it disconnects, workspace 2 can go there, with a new token.
    const busy = await install(server, app, 'initech', w2.teamId);
    expect(busy.status).toBe(409);
    expect(busy.text).toContain('Disconnect it first');
    expect(await teamOf('initech')).toBe(app.workspaces[2].teamId);
    await server.call('/connect/slack/disconnect?tenant=initech', { method: 'POST', admin: 'initech' });
    expect((await install(server, app, 'initech', w2.teamId)).status).toBe(200);
    const creds = await loadTenantSlackCredentials(server.pool, server.keys, {
      id: server.tenants.initech,
      name: 'initech',
    });
    expect(creds?.secrets.botToken).not.toBe(token);
    expect(creds?.secrets.botToken).toBe(w2.botToken);
  });
});
