import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { main } from '../../../cli/main';
import { openStore } from '../../store';
import { startSlackEmulator, type SlackEmulator } from '../../../slack-emulator';
import { readSlackConnectionInfo, slackCredentialsPath } from '../slack-credentials';
import { tempStateDir } from './helpers';

// The CLI from source (the published launcher runs dist/, which only `npm run build` refreshes).
const REPO = join(__dirname, '..', '..', '..', '..');
const CLI = [join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(REPO, 'scripts', 'cli', 'main.ts')];

/**
 * connect-slack, check and disconnect-slack through the CLI, in-process, against the Slack emulator.
 * Every line printed is captured: no token or secret may appear in it, nor in any file in clear.
 */
describe('connect-slack against the Slack emulator', () => {
  let emu: SlackEmulator;
  let output: string[];
  const ENV_KEYS = [
    'TIGHTKNIT_ENCRYPTION_KEY',
    'TIGHTKNIT_KEYCHAIN',
    'TIGHTKNIT_SLACK_BOT_TOKEN',
    'TIGHTKNIT_SLACK_SIGNING_SECRET',
    'TIGHTKNIT_SLACK_APP_TOKEN',
    'TIGHTKNIT_SLACK_API_URL',
  ] as const;
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  const secrets = {
    botToken: `xoxb-${randomBytes(12).toString('hex')}`,
    appToken: `xapp-1-${randomBytes(12).toString('hex')}`,
    signingSecret: randomBytes(16).toString('hex'),
  };

  beforeEach(() => {
    output = [];
    const capture = (chunk: unknown): boolean => {
      output.push(String(chunk));
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    process.env.TIGHTKNIT_ENCRYPTION_KEY = randomBytes(32).toString('base64');
    process.env.TIGHTKNIT_KEYCHAIN = 'off';
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    process.exitCode = undefined;
    await emu?.close();
  });

  async function start(scopes?: string[]): Promise<void> {
    emu = await startSlackEmulator({ ...secrets, scopes });
    process.env.TIGHTKNIT_SLACK_API_URL = emu.apiUrl;
    process.env.TIGHTKNIT_SLACK_BOT_TOKEN = secrets.botToken;
    process.env.TIGHTKNIT_SLACK_SIGNING_SECRET = secrets.signingSecret;
    process.env.TIGHTKNIT_SLACK_APP_TOKEN = secrets.appToken;
  }

  async function run(stateDir: string, ...args: string[]): Promise<{ code: number; text: string }> {
    process.exitCode = undefined;
    const from = output.length;
    const code = await main(['node', 'tightknit-sync', '--state-dir', stateDir, ...args]);
    process.exitCode = undefined;
    return { code, text: output.slice(from).join('') };
  }

  function expectNoSecretIn(text: string): void {
    for (const s of Object.values(secrets)) expect(text).not.toContain(s);
  }

  it('connects from the environment, names the workspace, checks, disconnects; never prints a secret', async () => {
    await start();
    const stateDir = tempStateDir();
    const connected = await run(stateDir, 'connect-slack');
    expect(connected.code).toBe(0);
    expect(connected.text).toMatch(new RegExp(`Connected Slack workspace .+ \\(${emu.teamId}`));
    expect(connected.text).toContain('signing secret (listen), app-level token (listen --socket-mode)');
    expect(readSlackConnectionInfo(stateDir)).toMatchObject({
      teamId: emu.teamId,
      hasSigningSecret: true,
      hasAppToken: true,
    });
    expect(emu.calls()['auth.test']).toBe(1);
    expect(emu.calls()['apps.connections.open']).toBe(1);

    const json = await run(stateDir, '--json', 'check');
    expect(json.code).toBe(0);
    const envelope = JSON.parse(json.text) as {
      status: number;
      result: { ok: boolean; checks: Array<{ id: string; status: string }> };
    };
    expect(envelope.status).toBe(0);
    const report = envelope.result;
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual([
      'slack-token',
      'slack-scope:channels:read',
      'slack-scope:channels:history',
      'slack-scope:users:read',
      'slack-scope:users:read.email',
      'slack-scope:reactions:read',
      'slack-scope:team:read',
      'slack-events',
    ]);
    expect(report.checks.every((c) => c.status === 'pass')).toBe(true);

    const disconnected = await run(stateDir, 'disconnect-slack');
    expect(disconnected.code).toBe(0);
    expect(disconnected.text).toContain(`Disconnected Slack workspace`);
    expect(existsSync(slackCredentialsPath(stateDir))).toBe(false);

    expectNoSecretIn(output.join(''));
    for (const f of readdirSync(stateDir)) {
      if (f.endsWith('.db') || f.endsWith('-wal')) expectNoSecretIn(readFileSync(join(stateDir, f)).toString('latin1'));
    }
  });

  it('names each missing scope with how to add it, and fails the check (exit 3)', async () => {
    await start(['channels:read', 'users:read', 'team:read']);
    const stateDir = tempStateDir();
    const connected = await run(stateDir, 'connect-slack');
    expect(connected.code).toBe(0);
    expect(connected.text).toContain('Missing bot token scopes: channels:history, users:read.email, reactions:read');
    const checked = await run(stateDir, 'check', '--include-private');
    expect(checked.code).toBe(3);
    for (const scope of ['channels:history', 'users:read.email', 'reactions:read', 'groups:read', 'groups:history']) {
      expect(checked.text).toContain(`✗ Slack scope ${scope}: Missing`);
      expect(checked.text).toContain(`Add the bot token scope ${scope}: api.slack.com/apps`);
    }
    expect(checked.text).toContain('✓ Slack scope users:read');
    expectNoSecretIn(output.join(''));
  });

  it('reports a revoked token in check, and refuses a bad token at connect', async () => {
    await start();
    const stateDir = tempStateDir();
    expect((await run(stateDir, 'connect-slack')).code).toBe(0);
    emu.revokeToken();
    const checked = await run(stateDir, 'check');
    expect(checked.code).toBe(3);
    expect(checked.text).toMatch(/✗ Slack bot token: Slack refused the bot token \(auth.test: token_revoked\)/);

    process.env.TIGHTKNIT_SLACK_BOT_TOKEN = 'xoxb-not-the-right-one';
    const refused = await run(tempStateDir(), 'connect-slack');
    expect(refused.code).toBe(3);
    expect(refused.text).toContain('Slack refused the bot token');
    expect(refused.text).not.toContain('xoxb-not-the-right-one');

    process.env.TIGHTKNIT_SLACK_BOT_TOKEN = 'xoxp-a-user-token';
    const wrongKind = await run(tempStateDir(), 'connect-slack');
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.text).toContain('is a user token (xoxp-)');
    expectNoSecretIn(output.join(''));
  });

  it('listen (its own process) stores the emulator’s events and logs no secret; refuses without a signing secret', async () => {
    await start();
    const stateDir = tempStateDir();
    expect((await run(stateDir, 'connect-slack')).code).toBe(0);
    expect((await run(stateDir, 'configure', '--slack-events', 'http')).code).toBe(0);
    const receiverItem = async () => {
      const checked = await run(stateDir, '--json', 'check');
      const report = JSON.parse(checked.text) as {
        result: { checks: Array<{ id: string; status: string; detail: string }> };
      };
      return report.result.checks.find((c) => c.id === 'slack-receiver');
    };
    expect(await receiverItem()).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('no http receiver has run'),
    });
    const child = spawn(process.execPath, [...CLI, '--state-dir', stateDir, '--json', 'listen', '--port', '0'], {
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: string[] = [];
    let eventId: string | null = null;
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      out.push(c.toString());
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => out.push(c.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        // Log lines go to stderr with --json; stdout keeps the one envelope for the end.
        createInterface({ input: child.stderr }).on('line', (line) => {
          if (!line.startsWith('{')) return;
          const e = JSON.parse(line) as { event: string; url?: string };
          if (e.event === 'listening' && e.url) resolve(e.url);
        });
        child.once('exit', (code) => reject(new Error(`listen exited with ${code}: ${out.join('')}`)));
      });
      emu.setEventsUrl(url);
      expect(await receiverItem()).toMatchObject({ status: 'pass', detail: expect.stringContaining(url) });
      eventId = (await emu.postMessage({ channel: 'C0EMUGENRL', user: 'U0EMUALICE', text: 'live' })).eventId;
      await emu.settled();
      expect((await fetch(url, { method: 'POST', body: '{}' })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined)));
    }
    expect(JSON.parse(stdout)).toMatchObject({
      status: 0,
      result: { mode: 'http', stats: { stored: 1 } },
      warnings: [],
    });
    expect(await receiverItem()).toMatchObject({ status: 'warn', detail: expect.stringContaining('stopped at') });
    const store = openStore({ stateDir });
    try {
      expect(store.inbox.pending(10).map((e) => e.eventId)).toEqual([eventId]);
    } finally {
      store.close();
    }
    const logged = out.join('');
    expect(logged).toContain('"event":"rejected"');
    expect(logged).toContain('"event":"stopped"');
    expect(logged).toContain('1 event(s) stored');
    expectNoSecretIn(logged);

    delete process.env.TIGHTKNIT_SLACK_SIGNING_SECRET;
    delete process.env.TIGHTKNIT_SLACK_APP_TOKEN;
    const other = tempStateDir();
    expect((await run(other, 'connect-slack')).code).toBe(0);
    const refused = await run(other, 'listen', '--port', '0');
    expect(refused.code).toBe(2);
    expect(refused.text).toContain('No signing secret is stored');
    expect((await run(other, 'listen', '--socket-mode')).text).toContain('No app-level token is stored');
    expect((await run(tempStateDir(), 'listen')).text).toContain('No Slack workspace is connected');
  });

  it('says which variable to set when no token is given', async () => {
    await start();
    delete process.env.TIGHTKNIT_SLACK_BOT_TOKEN;
    const r = await run(tempStateDir(), 'connect-slack');
    expect(r.code).toBe(2);
    expect(r.text).toContain('No Slack bot token: set TIGHTKNIT_SLACK_BOT_TOKEN.');
  });
});
