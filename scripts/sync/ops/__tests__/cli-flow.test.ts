import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../cli/main';
import { startEmulator, type RunningEmulator } from '../../../org-emulator';
import { loadCredentials, saveCredentials } from '../../connection/credential-store';
import { revokeToken } from '../../connection/token-endpoint';
import { tempDir, writeCommunityFeed } from './fixtures';

/**
 * The CLI end to end, in-process: every line it prints (human and --json) is captured, and no token
 * or secret may appear in any of it, nor in the store.
 */
describe('tightknit-sync commands against the emulator', () => {
  let emu: RunningEmulator;
  let output: string[];
  const saved = { key: process.env.TIGHTKNIT_ENCRYPTION_KEY, keychain: process.env.TIGHTKNIT_KEYCHAIN };
  const stateDir = tempDir();

  beforeAll(async () => {
    emu = await startEmulator();
    process.env.TIGHTKNIT_ENCRYPTION_KEY = randomBytes(32).toString('base64');
    process.env.TIGHTKNIT_KEYCHAIN = 'off';
  });
  afterAll(async () => {
    await emu.close();
    process.env.TIGHTKNIT_ENCRYPTION_KEY = saved.key;
    process.env.TIGHTKNIT_KEYCHAIN = saved.keychain;
    process.exitCode = undefined;
  });
  beforeEach(() => {
    output = [];
    const capture = (chunk: unknown): boolean => {
      output.push(String(chunk));
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => jest.restoreAllMocks());

  async function run(...args: string[]): Promise<{ code: number; text: string }> {
    process.exitCode = undefined;
    const start = output.length;
    const code = await main(['node', 'tightknit-sync', '--state-dir', stateDir, ...args]);
    process.exitCode = undefined;
    return { code, text: output.slice(start).join('') };
  }

  it('connects, verifies, checks, configures, syncs, pauses and disconnects without ever printing a token', async () => {
    const all: string[] = [];
    const step = async (...args: string[]) => {
      const r = await run(...args);
      all.push(r.text);
      return r;
    };
    const connected = await step(
      'connect',
      '--client-credentials',
      '--login-url',
      emu.loginUrl,
      '--client-id',
      emu.clientId,
      '--client-secret',
      emu.clientSecret,
    );
    expect(connected.code).toBe(0);
    expect(connected.text).toContain('Tokens stored encrypted (AES-256-GCM, key from env)');
    const creds = await loadCredentials({ stateDir });
    const secrets = [creds.secrets.accessToken, emu.clientSecret].filter((s): s is string => Boolean(s));

    expect((await step('ingest', writeCommunityFeed(tempDir(), 30))).code).toBe(0);
    expect((await step('verify')).code).toBe(0);
    const check = await step('check');
    expect(check.code).toBe(0);
    expect(check.text).toContain('✓ Field-level security on Member__c.Contact__c');

    const bad = await step('configure', '--interval', '0', '--weight', 'post_created=lots');
    expect(bad.code).toBe(2);
    expect(bad.text).toContain('--weight post_created=lots');
    const badRange = await step('configure', '--interval', '2000');
    expect(badRange.code).toBe(2);
    expect(badRange.text).toContain('--interval:');
    expect(
      (await step('configure', '--create-contacts', '--interval', '10', '--threshold', 'champion=50')).text,
    ).toContain('Sync interval:      every 10 minute(s)');

    const sync = await step('sync');
    expect(sync.code).toBe(0);
    expect(sync.text).toMatch(/Run #1 \(backfill\) Succeeded/);
    const json = await step('--json', 'sync');
    // Exactly one object, the sf CLI's envelope, and nothing else on either stream.
    expect(JSON.parse(json.text)).toMatchObject({
      status: 0,
      result: { type: 'incremental', status: 'Succeeded' },
      warnings: [],
    });
    expect((await step('history')).code).toBe(0);

    expect((await step('pause')).text).toContain('paused');
    expect((await step('resume')).text).toContain('resumed');

    const gone = await step('disconnect');
    expect(gone.code).toBe(0);
    expect(gone.text).toContain('The token was revoked at the org.');
    const after = await step('sync');
    expect(after.code).toBe(2);
    expect(after.text).toContain('tightknit-sync connect');
    const kept = await step('history');
    expect(kept.code).toBe(0);
    expect(kept.text).toContain('backfill');

    const everything = all.join('\n') + readFileSync(join(stateDir, 'store.db')).toString('latin1');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it('start refuses to run while a blocking check fails', async () => {
    const dir = tempDir();
    const connect = await main([
      'node',
      'tightknit-sync',
      '--state-dir',
      dir,
      'connect',
      '--client-credentials',
      '--login-url',
      emu.loginUrl,
      '--client-id',
      emu.clientId,
      '--client-secret',
      emu.clientSecret,
    ]);
    expect(connect).toBe(0);
    emu.setGrants({ contactRead: false, contactCreate: false, contactEdit: false });
    try {
      output = [];
      const code = await main(['node', 'tightknit-sync', '--state-dir', dir, 'start', '--yes']);
      expect(code).toBe(3);
      const text = output.join('');
      expect(text).toContain('✗ Read on Contact');
      expect(text).toContain('blocking check(s) failed');
    } finally {
      emu.setGrants({ contactRead: true, contactCreate: true, contactEdit: true });
      process.exitCode = undefined;
    }
  });

  it('start --yes --json backfills, logs JSON lines, and stops cleanly on SIGINT', async () => {
    const dir = tempDir();
    const args = (...a: string[]) => ['node', 'tightknit-sync', '--state-dir', dir, ...a];
    expect(
      await main(
        args(
          'connect',
          '--client-credentials',
          '--login-url',
          emu.loginUrl,
          '--client-id',
          emu.clientId,
          '--client-secret',
          emu.clientSecret,
        ),
      ),
    ).toBe(0);
    expect(await main(args('ingest', writeCommunityFeed(tempDir(), 20)))).toBe(0);
    const listeners = process.listenerCount('SIGINT');
    output = [];
    const watcher = setInterval(() => {
      if (output.join('').includes('"event":"run-finished"')) {
        clearInterval(watcher);
        process.emit('SIGINT');
      }
    }, 20);
    const code = await main(args('--json', 'start', '--yes'));
    clearInterval(watcher);
    process.exitCode = undefined;
    if (code !== 0) throw new Error(output.join(''));
    const lines = output
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // Log lines (on stderr) carry an event; the one envelope (on stdout) carries the runs.
    const envelopes = lines.filter((l) => 'status' in l);
    expect(envelopes).toEqual([
      {
        status: 0,
        result: { runs: [expect.objectContaining({ type: 'backfill', status: 'Succeeded' })] },
        warnings: [],
      },
    ]);
    const events = lines.filter((l) => 'event' in l) as Array<{
      event: string;
      level: string;
      summary?: { type: string; status: string };
    }>;
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['started', 'run-started', 'run-finished', 'stopping', 'stopped']),
    );
    expect(events.find((e) => e.event === 'run-finished')?.summary).toMatchObject({
      type: 'backfill',
      status: 'Succeeded',
    });
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });

  it('sync exits 1 when records fail and 3 with a reconnect message when the token was revoked', async () => {
    const dir = tempDir();
    const args = (...a: string[]) => ['node', 'tightknit-sync', '--state-dir', dir, ...a];
    const tokens = emu.issueTokens('integration');
    await saveCredentials(
      {
        method: 'web',
        loginUrl: emu.loginUrl,
        instanceUrl: emu.instanceUrl,
        clientId: emu.clientId,
        connectedAt: new Date().toISOString(),
        secrets: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
      },
      { stateDir: dir },
    );
    // Over 200 activities: they go through a Bulk job, where the lock-row fault applies.
    expect(await main(args('ingest', writeCommunityFeed(tempDir(), 250)))).toBe(0);

    emu.setFaults({ lockRowRate: 1 });
    try {
      output = [];
      const failed = await main(args('sync'));
      process.exitCode = undefined;
      expect(failed).toBe(1);
      expect(output.join('')).toMatch(/tightknit-sync investigate \d+/);
    } finally {
      emu.setFaults({ lockRowRate: 0 });
    }
    const runId = /Run #(\d+)/.exec(output.join(''))?.[1] as string;
    output = [];
    const retried = await main(args('retry', runId));
    process.exitCode = undefined;
    expect(output.join('')).toMatch(/\(retry\) Succeeded/);
    expect(retried).toBe(0);

    await revokeToken(emu.loginUrl, tokens.refreshToken);
    expect(await main(args('ingest', writeCommunityFeed(tempDir(), 260, Date.now() + 60_000)))).toBe(0);
    output = [];
    const revoked = await main(args('sync'));
    process.exitCode = undefined;
    expect(revoked).toBe(3);
    expect(output.join('')).toContain('refresh token was revoked');
    expect(output.join('')).toContain('tightknit-sync connect');

    output = [];
    const revokedJson = await main(args('--json', 'sync'));
    process.exitCode = undefined;
    expect(revokedJson).toBe(3);
    const envelope = JSON.parse(output.join('')) as { message: string; actions: string[] };
    expect(envelope).toEqual({
      status: 3,
      name: expect.stringMatching(/^[A-Z_]+$/),
      message: expect.stringContaining('refresh token was revoked'),
      exitCode: 3,
      actions: expect.arrayContaining([expect.stringContaining('tightknit-sync connect')]),
      warnings: [],
    });
  });
});
