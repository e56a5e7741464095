import { WebClient } from '@slack/web-api';
import { Pool } from 'pg';
import { startEmulators, type EmulatorFleet, type RunningEmulator } from '../../org-emulator';
import { generateWorkspace, startSlackApp, type SlackApp } from '../../slack-emulator';
import { scriptedBrowser } from '../../sync/connection/__tests__/helpers';
import { requestToken } from '../../sync/connection/token-endpoint';
import { usePostgres } from '../../test-support/postgres';
import { contains, dumpDatabase } from '../connect/__tests__/helpers';
import { resolveMasterKeys } from '../secrets/master-key';
import { findTenant } from '../tenants';
import { loadTenantCredentials, loadTenantSlackCredentials, saveTenantCredentials } from '../tenant-state/credentials';
import { cliHarness } from './cli-helpers';

interface AuditJson {
  entries: Array<{ actor: string; action: string; tenant: string | null; details: Record<string, unknown> }>;
}

describe('connect, disconnect, connect-slack, disconnect-slack, check and tenants remove per tenant', () => {
  let pool: Pool;
  let fleet: EmulatorFleet;
  let slack: SlackApp;
  let org: RunningEmulator;
  afterAll(async () => {
    await slack.close();
    await fleet.close();
    await pool.end();
  });
  const pg = usePostgres();
  const { run, json } = cliHarness();
  const keys = () => resolveMasterKeys();
  const on = (tenant: string, ...args: string[]) => run('--database', pg.url, '--tenant', tenant, ...args);
  const ref = async (name: string) => findTenant(pool, name);
  const refreshWith = (token: string) =>
    requestToken(org.loginUrl, 'refresh', {
      grant_type: 'refresh_token',
      refresh_token: token,
      client_id: org.clientId,
      client_secret: org.clientSecret,
    });
  const auditOf = async (tenant: string): Promise<AuditJson['entries']> =>
    json<AuditJson>(await run('--database', pg.url, '--tenant', tenant, '--json', 'audit')).entries;

  /** `connect --tenant` through the web login, the browser played from the URL the command prints. */
  async function webConnect(tenant: string, ...extra: string[]) {
    const write = jest.mocked(process.stderr.write);
    const capture = write.getMockImplementation();
    const browser = scriptedBrowser(org, {
      username: org.users.integration.username,
      password: org.users.integration.password,
    });
    let played: Promise<void> | undefined;
    write.mockImplementation((chunk: unknown, ...rest: unknown[]) => {
      const url = /https?:\/\/\S+\/services\/oauth2\/authorize\?\S+/.exec(String(chunk))?.[0];
      if (url && !played) played = browser(url);
      return capture ? (capture as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest) : true;
    });
    const r = await on(
      tenant,
      ...extra,
      'connect',
      '--no-browser',
      '--login-url',
      org.loginUrl,
      '--client-id',
      org.clientId,
      '--callback-url',
      'http://127.0.0.1:0/callback',
    );
    await played;
    return r;
  }

  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    fleet = await startEmulators({ orgs: 1 });
    org = fleet.orgs[0];
    slack = await startSlackApp({
      workspaces: [1, 2].map((seed) => generateWorkspace({ members: 3, channels: 1, messages: 2, seed })),
      redirectUrls: ['http://127.0.0.1/unused'],
    });
  }, 60_000);
  beforeEach(() => {
    process.env.TIGHTKNIT_CLIENT_SECRET = org.clientSecret;
    process.env.TIGHTKNIT_SLACK_API_URL = slack.apiUrl;
  });
  afterEach(() => {
    for (const v of ['TIGHTKNIT_CLIENT_SECRET', 'TIGHTKNIT_SLACK_API_URL', 'TIGHTKNIT_SLACK_BOT_TOKEN'])
      delete process.env[v];
  });

  it('refuses machine-local ways of connecting a tenant, storing nothing', async () => {
    for (const name of ['acme', 'globex', 'initech'])
      expect((await run('--database', pg.url, 'tenants', 'add', name)).code).toBe(0);
    const jwt = await on(
      'acme',
      'connect',
      '--jwt',
      '--key-file',
      '/tmp/k.pem',
      '--username',
      'u@x',
      '--client-id',
      org.clientId,
      '--login-url',
      org.loginUrl,
    );
    expect(jwt.code).toBe(2);
    expect(jwt.text).toContain("A tenant's connection must work from every worker");
    expect(jwt.text).toContain('private key file on this machine');
    const sf = await on('acme', 'connect', '--target-org', 'my-alias');
    expect(sf.code).toBe(2);
    expect(sf.text).toContain('sf CLI');
    await expect(loadTenantCredentials(pool, keys(), await ref('acme'))).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
    });
  });

  it('connects through the web login (PKCE on loopback), sealed as the console stores it; check passes; disconnect revokes', async () => {
    const r = await webConnect('acme');
    expect(r.code).toBe(0);
    expect(r.text).toContain(`Connected to ${org.instanceUrl} as ${org.users.integration.username} (web).`);
    const acme = await ref('acme');
    const creds = await loadTenantCredentials(pool, keys(), acme);
    expect(creds).toMatchObject({
      method: 'web',
      loginUrl: org.loginUrl,
      instanceUrl: org.instanceUrl,
      clientId: org.clientId,
    });
    expect(creds.secrets.refreshToken).toBeTruthy();
    // As the console's flow: the app's consumer secret is not stored per tenant.
    expect(creds.secrets.clientSecret).toBeUndefined();
    expect(acme.org).toBe(creds.orgId);
    const dump = await dumpDatabase(pool);
    expect(contains(dump, creds.secrets.refreshToken as string)).toBe(false);

    // check runs the embedded connection test against the tenant's org, renewing an expired session.
    org.expireAccessTokens();
    const check = await on('acme', 'check');
    expect(check.text).toContain(`Connection test as ${org.users.integration.username}`);
    expect(check.code).toBe(0);

    const history = await on('acme', '--json', 'history');
    expect(history.text).toContain(`Connected to ${org.instanceUrl}`);

    const off = await on('acme', '--json', 'disconnect');
    expect(off.code).toBe(0);
    expect(json(off)).toMatchObject({ revoked: true, instanceUrl: org.instanceUrl });
    await expect(refreshWith(creds.secrets.refreshToken as string)).rejects.toThrow();
    await expect(loadTenantCredentials(pool, keys(), acme)).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    expect((await ref('acme')).org).toBeNull();
    expect((await on('acme', 'disconnect')).text).toContain("No org is connected for tenant 'acme'.");

    const actions = (await auditOf('acme')).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['connect', 'disconnect']));
    const entry = (await auditOf('acme')).find((e) => e.action === 'connect');
    expect(entry?.actor).toMatch(/^cli:\S+$/);
    expect(entry?.details).toMatchObject({ method: 'web', org: creds.orgId });
  });

  it('connects Slack from the bot token, binds the workspace, refuses it for a second tenant; disconnect-slack revokes', async () => {
    const [w1] = slack.workspaces;
    process.env.TIGHTKNIT_SLACK_BOT_TOKEN = w1.botToken;
    const r = await on('acme', 'connect-slack');
    expect(r.code).toBe(0);
    expect(r.text).toContain(`Connected Slack workspace`);
    const team = await pool.query<{ t: string | null }>('SELECT slack_team_id AS t FROM tenants WHERE name = $1', [
      'acme',
    ]);
    expect(team.rows[0].t).toBe(w1.teamId);
    expect((await loadTenantSlackCredentials(pool, keys(), await ref('acme')))?.secrets.botToken).toBe(w1.botToken);
    const taken = await on('globex', 'connect-slack');
    expect(taken.code).toBe(2);
    expect(taken.text).toContain("is connected to tenant 'acme' already");

    const off = await on('acme', '--json', 'disconnect-slack');
    expect(json(off)).toMatchObject({ disconnected: true, revoked: true, teamId: w1.teamId });
    await expect(
      new WebClient(w1.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }).auth.test(),
    ).rejects.toThrow(/invalid_auth|token_revoked/);
    expect(await loadTenantSlackCredentials(pool, keys(), await ref('acme'))).toBeUndefined();
    expect((await on('acme', 'disconnect-slack')).text).toContain('No Slack workspace was connected.');
    const actions = (await auditOf('acme')).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['slack.install', 'slack.disconnect']));
  });

  it('tenants remove revokes first; a revoke that fails is reported, and the token kept unless the data goes', async () => {
    // globex: connected by client credentials (the consumer secret stored sealed) and to a workspace.
    const cc = await on(
      'globex',
      'connect',
      '--client-credentials',
      '--login-url',
      org.loginUrl,
      '--client-id',
      org.clientId,
    );
    expect(cc.code).toBe(0);
    const globexCreds = await loadTenantCredentials(pool, keys(), await ref('globex'));
    expect(globexCreds.secrets.clientSecret).toBe(org.clientSecret);
    const [, w2] = slack.workspaces;
    process.env.TIGHTKNIT_SLACK_BOT_TOKEN = w2.botToken;
    expect((await on('globex', 'connect-slack')).code).toBe(0);
    const removed = await run('--database', pg.url, '--json', 'tenants', 'remove', 'globex');
    expect(removed.code).toBe(0);
    expect(json(removed)).toMatchObject({ revocations: { salesforce: { revoked: true }, slack: { revoked: true } } });
    await expect(
      new WebClient(w2.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }).auth.test(),
    ).rejects.toThrow();

    // initech: its org unreachable when it is removed.
    expect((await webConnect('initech')).code).toBe(0);
    const initech = await ref('initech');
    const creds = await loadTenantCredentials(pool, keys(), initech);
    await saveTenantCredentials(pool, keys(), initech, { ...creds, loginUrl: 'http://127.0.0.1:9' });
    const kept = await run('--database', pg.url, 'tenants', 'remove', 'initech');
    expect(kept.code).toBe(0);
    expect(kept.text).toContain('Warning: The org could not be reached to revoke the token');
    expect(kept.text).toContain('Setup → Connected Apps OAuth Usage');
    expect(kept.text).toContain('it is kept sealed');
    expect((await loadTenantCredentials(pool, keys(), initech)).secrets.refreshToken).toBe(creds.secrets.refreshToken);
    const gone = await run('--database', pg.url, 'tenants', 'remove', 'initech', '--delete-data');
    expect(gone.code).toBe(0);
    expect(gone.text).toContain('revoke it there by hand');
    expect(gone.text).toContain("Tenant 'initech' and all its data deleted.");
    // The token was never revoked: the operator must do it in the org, as the warning said.
    expect((await refreshWith(creds.secrets.refreshToken as string)).access_token).toBeTruthy();

    // A tenant with nothing to revoke is removed without the master key (only opening a token needs it).
    expect((await run('--database', pg.url, 'tenants', 'add', 'plain')).code).toBe(0);
    delete process.env.TIGHTKNIT_MASTER_KEY;
    expect((await run('--database', pg.url, 'tenants', 'remove', 'plain')).code).toBe(0);

    const operator = json<AuditJson>(
      await run('--database', pg.url, '--json', 'audit', '--action', 'tenants.remove'),
    ).entries;
    expect(operator.map((e) => e.details.tenant)).toEqual(['plain', 'initech', 'initech', 'globex']);
  });

  it('writes an audit row for each change made from the CLI: configure (each field before/after), start, pause, resume, sync', async () => {
    expect((await on('acme', 'configure', '--interval', '15', '--create-contacts')).code).toBe(0);
    expect((await on('acme', 'configure')).code).toBe(0);
    expect((await on('acme', 'start')).code).toBe(0);
    expect((await on('acme', 'pause', '--reason', 'maintenance')).code).toBe(0);
    expect((await on('acme', 'pause')).code).toBe(0);
    expect((await on('acme', 'resume')).code).toBe(0);
    expect((await on('acme', 'sync', '--no-wait')).code).toBe(0);
    const entries = await auditOf('acme');
    const configure = entries.filter((e) => e.action === 'configure');
    // Showing the configuration changes nothing, so only the save is audited.
    expect(configure).toHaveLength(1);
    expect(configure[0].details).toMatchObject({
      version: 1,
      changes: { intervalMinutes: { before: 5, after: 15 }, createContacts: { before: false, after: true } },
    });
    expect(Object.keys(configure[0].details.changes as object)).toHaveLength(2);
    const newest = entries.slice(0, 5).map((e) => [e.action, e.actor.startsWith('cli:')]);
    expect(newest).toEqual([
      ['sync', true],
      ['resume', true],
      ['pause', true],
      ['start', true],
      ['configure', true],
    ]);
    expect(entries[0].details).toMatchObject({ type: 'backfill' });
    expect(entries[2].details).toEqual({ reason: 'maintenance' });
    expect(entries[3].details).toMatchObject({ intervalMinutes: 15, firstRun: 'backfill' });
  });
});
