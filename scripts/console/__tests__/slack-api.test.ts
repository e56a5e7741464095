import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../org-emulator';
import { startSlackEmulator, type SlackEmulator } from '../../slack-emulator';
import { openAsyncStore } from '../../sync/store';
import type { ApiError, CheckReportView, ConfigView, SlackConnectView, StatusView } from '../contract';
import { clientCredentials, fakePublicDir, ingestedStateDir, signedInConsole, tempDir, type SignedIn } from './helpers';

/**
 * Setup → Community source: connect a Slack workspace from the console, its checks, the source's state
 * and lag in the status, and the schedule's source events, against the org and Slack emulators.
 */
const publicDir = fakePublicDir();
const secrets = {
  botToken: `xoxb-${randomBytes(12).toString('hex')}`,
  appToken: `xapp-1-${randomBytes(12).toString('hex')}`,
  signingSecret: randomBytes(16).toString('hex'),
};
let org: RunningEmulator;
let slack: SlackEmulator | undefined;
const open: SignedIn[] = [];
const logged: string[] = [];
const savedApiUrl = process.env.TIGHTKNIT_SLACK_API_URL;

beforeAll(async () => {
  org = await startEmulator();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.console.close()));
  await slack?.close();
  slack = undefined;
  logged.length = 0;
});
afterAll(async () => {
  await org.close();
  if (savedApiUrl === undefined) delete process.env.TIGHTKNIT_SLACK_API_URL;
  else process.env.TIGHTKNIT_SLACK_API_URL = savedApiUrl;
});

async function slackUp(scopes?: string[]): Promise<SlackEmulator> {
  slack = await startSlackEmulator({ ...secrets, scopes });
  process.env.TIGHTKNIT_SLACK_API_URL = slack.apiUrl;
  return slack;
}

async function consoleOver(stateDir: string): Promise<SignedIn> {
  const c = await signedInConsole({ stateDir, publicDir, log: (line) => logged.push(line) });
  open.push(c);
  return c;
}

/** Nothing a response, the console's log or a state file in clear holds may contain a token or secret. */
function expectNoSecretIn(text: string): void {
  for (const s of Object.values(secrets)) expect(text).not.toContain(s);
}

function expectNoSecretInFiles(dir: string): void {
  for (const f of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (f.isFile()) expectNoSecretIn(readFileSync(join(f.parentPath, f.name)).toString('latin1'));
  }
}

describe('POST /api/slack', () => {
  it('connects with the form values, names the workspace, and never echoes a secret', async () => {
    const emu = await slackUp();
    const dir = tempDir();
    const c = await consoleOver(dir);
    const before = await c.status();
    expect(before.source).toMatchObject({ slack: null, events: 'off', pendingEvents: 0, lagSeconds: null });

    const answer = await c.call('POST', '/api/slack', {
      botToken: ` ${secrets.botToken} `,
      signingSecret: secrets.signingSecret,
      appToken: '',
    });
    const text = await answer.text();
    expect(answer.status).toBe(200);
    const body = JSON.parse(text) as SlackConnectView;
    expect(body.slack).toMatchObject({ teamId: emu.teamId, hasSigningSecret: true, hasAppToken: false });
    expect(body.slack.teamName).toMatch(/\S/);
    expect(body.scopes).toContain('users:read.email');
    expect(emu.calls()['apps.connections.open']).toBeUndefined();
    expectNoSecretIn(text);

    const status = await c.status();
    expect(status.source.slack).toEqual(body.slack);
    expectNoSecretIn(JSON.stringify(status));
    expectNoSecretIn(logged.join('\n'));
    expectNoSecretInFiles(dir);

    // Reconnecting the same workspace with the app token keeps the stored signing secret.
    const again = await c.json<SlackConnectView>('POST', '/api/slack', {
      botToken: secrets.botToken,
      appToken: secrets.appToken,
    });
    expect(again.status).toBe(200);
    expect(again.body.kept).toEqual(['signingSecret']);
    expect(again.body.slack).toMatchObject({ hasSigningSecret: true, hasAppToken: true });
    expect(emu.calls()['apps.connections.open']).toBe(1);
  });

  it('refuses a token of the wrong kind field by field, without echoing it', async () => {
    await slackUp();
    const c = await consoleOver(tempDir());
    const userToken = `xoxp-${randomBytes(8).toString('hex')}`;
    const bad = await c.call('POST', '/api/slack', { botToken: userToken, appToken: secrets.botToken, extra: 1 });
    const text = await bad.text();
    expect(bad.status).toBe(400);
    const { error } = JSON.parse(text) as ApiError;
    expect(error.fields?.map((f) => f.field).sort()).toEqual(['appToken', 'botToken', 'extra']);
    expect(error.fields?.find((f) => f.field === 'botToken')?.reason).toContain('xoxb-');
    expect(text).not.toContain(userToken);
    expectNoSecretIn(text);

    const missing = await c.json<ApiError>('POST', '/api/slack', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toEqual([
      { field: 'botToken', reason: 'the Bot User OAuth Token (xoxb-…) is required' },
    ]);
    expect((await c.status()).source.slack).toBeNull();
  });

  it('answers a revoked token with the error and the fix, on the bot token field', async () => {
    const emu = await slackUp();
    emu.revokeToken();
    const dir = tempDir();
    const c = await consoleOver(dir);
    const answer = await c.call('POST', '/api/slack', { botToken: secrets.botToken });
    const text = await answer.text();
    expect(answer.status).toBe(502);
    const { error } = JSON.parse(text) as ApiError;
    expect(error.code).toBe('SLACK_AUTH_FAILED');
    expect(error.message).toContain('token_revoked');
    expect(error.actions[0]).toMatch(/Bot User OAuth Token again .* Setup → Community source/);
    expect(error.fields?.[0].field).toBe('botToken');
    expectNoSecretIn(text);
    expectNoSecretIn(logged.join('\n'));
    expect((await c.status()).source.slack).toBeNull();
  });
});

describe('POST /api/slack/check and DELETE /api/slack', () => {
  it('names each missing scope with its fix; private channels add the groups scopes', async () => {
    await slackUp(['channels:read', 'channels:history', 'users:read', 'reactions:read', 'team:read']);
    const c = await consoleOver(tempDir());
    expect((await c.json<ApiError>('POST', '/api/slack/check', {})).body.error.code).toBe('SLACK_NOT_CONNECTED');
    expect((await c.call('POST', '/api/slack', { botToken: secrets.botToken })).status).toBe(200);

    const report = await c.json<CheckReportView>('POST', '/api/slack/check', {});
    expect(report.status).toBe(200);
    expect(report.body.ok).toBe(false);
    const failing = report.body.checks.filter((x) => x.status === 'fail');
    expect(failing.map((x) => x.id)).toEqual(['slack-scope:users:read.email']);
    expect(failing[0].fix).toContain('Add the bot token scope users:read.email');
    expect(report.body.checks.find((x) => x.id === 'slack-events')?.status).toBe('warn');

    const saved = await c.json<ConfigView>('PUT', '/api/config', { slack: { includePrivate: true, events: 'http' } });
    expect(saved.body.slack).toEqual({
      events: 'http',
      listenPort: null,
      listenHost: '127.0.0.1',
      includePrivate: true,
    });
    expect((await c.status()).source.events).toBe('http');
    const privateReport = await c.json<CheckReportView>('POST', '/api/slack/check', {});
    expect(privateReport.body.checks.filter((x) => x.status === 'fail').map((x) => x.id)).toEqual([
      'slack-scope:users:read.email',
      'slack-scope:groups:read',
      'slack-scope:groups:history',
    ]);

    const badMode = await c.json<ApiError>('PUT', '/api/config', { slack: { events: 'webhook' } });
    expect(badMode.status).toBe(400);
    expect(badMode.body.error.fields?.[0].field).toBe('slack.events');
  });

  it('disconnects, then says there is nothing to disconnect', async () => {
    await slackUp();
    const c = await consoleOver(tempDir());
    expect((await c.call('POST', '/api/slack', { botToken: secrets.botToken })).status).toBe(200);
    const gone = await c.json<{ disconnected: boolean; teamId: string }>('DELETE', '/api/slack', {});
    expect(gone.status).toBe(200);
    expect(gone.body).toMatchObject({ disconnected: true, teamId: slack?.teamId });
    expect((await c.status()).source.slack).toBeNull();
    const again = await c.json<ApiError>('DELETE', '/api/slack', {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SLACK_NOT_CONNECTED');
  });
});

describe('the source in the status', () => {
  it('counts the events waiting in the inbox and how far behind the store is', async () => {
    const emu = await slackUp();
    const dir = await ingestedStateDir(8);
    const store = openAsyncStore({ stateDir: dir });
    try {
      const envelope = {
        event_id: 'Ev0CONSOLE1',
        team_id: emu.teamId,
        event_time: Math.floor(Date.now() / 1000) - 180,
        event: { type: 'reaction_added' },
      };
      await store.inbox.add(envelope, JSON.stringify(envelope), new Date(Date.now() - 180_000));
    } finally {
      await store.close();
    }
    const c = await consoleOver(dir);
    expect((await c.call('POST', '/api/slack', { botToken: secrets.botToken })).status).toBe(200);
    const { source } = await c.status();
    expect(source.slack?.teamId).toBe(emu.teamId);
    expect(source.pendingEvents).toBe(1);
    expect(source.lagSeconds).toBeGreaterThanOrEqual(180);
    expect(source.lagSeconds).toBeLessThan(240);
    expect(source.firstImportDone).toBe(false);
    expect(source.lastError).toBeNull();
  });

  it("forwards the schedule's catch-up before each run", async () => {
    const emu = await slackUp();
    const c = await consoleOver(await ingestedStateDir(8));
    expect((await c.call('POST', '/api/connection', clientCredentials(org))).status).toBe(200);
    expect((await c.call('POST', '/api/slack', { botToken: secrets.botToken })).status).toBe(200);
    const started = Date.now();
    expect((await c.call('POST', '/api/sync/start', {})).status).toBe(202);

    const caughtUp = await c.until((s) => s.backfilled && s.source.lastCatchUp !== null, 30_000);
    expect(caughtUp.source.firstImportDone).toBe(true);
    expect(caughtUp.source.lastCatchUpAt).not.toBeNull();
    expect(caughtUp.source.lastCatchUp?.text).toMatch(/^Slack Acme Community: 0 event\(s\) applied; \d+ new and/);
    // Lag counts from the last read, which ran after the start: at most the seconds since then (a loaded
    // machine can take a second or more between the read and the status).
    expect(caughtUp.source.lagSeconds).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000));
    expect(caughtUp.source.lastError).toBeNull();
    expect(caughtUp.store.members).toBeGreaterThan(8);
    expect(emu.calls()['conversations.history']).toBeGreaterThan(0);
  }, 60_000);

  it('shows a revoked token as the source error with its fix; the schedule stops', async () => {
    const emu = await slackUp();
    const c = await consoleOver(await ingestedStateDir(8));
    expect((await c.call('POST', '/api/connection', clientCredentials(org))).status).toBe(200);
    expect((await c.call('POST', '/api/slack', { botToken: secrets.botToken })).status).toBe(200);
    emu.revokeToken();
    expect((await c.call('POST', '/api/sync/start', {})).status).toBe(202);

    const failed = await c.until((s) => s.source.lastError !== null && s.scheduler.state === 'stopped', 30_000);
    expect(failed.source.lastError).toMatchObject({ code: 'SLACK_AUTH_FAILED' });
    expect(failed.source.lastError?.message).toContain('token_revoked');
    expect(failed.source.lastError?.actions.join(' ')).toMatch(/Bot User OAuth Token/);
    expect(failed.scheduler.lastError?.code).toBe('SLACK_AUTH_FAILED');
    expectNoSecretIn(JSON.stringify(failed));
    expectNoSecretIn(logged.join('\n'));
  }, 60_000);

  it('receives Socket Mode events in the console while its schedule runs', async () => {
    const emu = await slackUp();
    const dir = await ingestedStateDir(8);
    const c = await consoleOver(dir);
    expect((await c.call('POST', '/api/connection', clientCredentials(org))).status).toBe(200);
    expect(
      (await c.call('POST', '/api/slack', { botToken: secrets.botToken, appToken: secrets.appToken })).status,
    ).toBe(200);
    expect((await c.call('PUT', '/api/config', { slack: { events: 'socket-mode' } })).status).toBe(200);
    expect((await c.call('POST', '/api/sync/start', {})).status).toBe(202);
    const running: StatusView = await c.until((s) => s.source.receiving !== null);
    expect(running.source).toMatchObject({ receiving: 'Socket Mode', events: 'socket-mode' });
    await waitFor(() => emu.socketConnections() === 1);
    expect((await c.call('POST', '/api/sync/stop', {})).status).toBe(200);
    expect((await c.status()).source.receiving).toBeNull();
    await waitFor(() => emu.socketConnections() === 0);
  }, 60_000);
});

async function waitFor(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error('condition never held');
    await new Promise((r) => setTimeout(r, 25));
  }
}
