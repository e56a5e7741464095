import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../org-emulator';
import { OrgRefusedError, TightknitError } from '../../errors';
import { connect } from '../connect';
import { credentialsPath, deleteCredentials, loadCredentials, saveCredentials } from '../credential-store';
import { openConnection } from '../open';
import { revokeToken } from '../token-endpoint';
import type { StoredCredentials } from '../types';
import { scriptedBrowser, TEST_ENV, tempStateDir } from './helpers';

let emu: RunningEmulator;
const TTL = 800;

beforeAll(async () => {
  emu = await startEmulator({ accessTokenTtlMs: TTL });
});
afterAll(async () => {
  await emu.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const keys = { env: TEST_ENV, keychain: null };

async function webConnected(): Promise<string> {
  const stateDir = tempStateDir();
  await connect({
    stateDir,
    ...keys,
    method: 'web',
    loginUrl: emu.loginUrl,
    clientId: emu.clientId,
    callbackUrl: 'http://127.0.0.1:0/callback',
    openUrl: scriptedBrowser(emu, emu.users.integration),
  });
  return stateDir;
}

describe('token renewal', () => {
  it('refreshes an expired access token transparently and stores the new one', async () => {
    const stateDir = await webConnected();
    const before = await loadCredentials({ stateDir, ...keys });
    let renewed = 0;
    const opened = await openConnection({ stateDir, ...keys, onRenewed: () => renewed++ });
    await sleep(TTL + 100);
    const res = await opened.connection.query('SELECT Id FROM Contact LIMIT 1');
    expect(res.done).toBe(true);
    expect(renewed).toBe(1);
    const after = await loadCredentials({ stateDir, ...keys });
    expect(after.secrets.accessToken).not.toBe(before.secrets.accessToken);
    expect(after.secrets.refreshToken).toBe(before.secrets.refreshToken);
  });

  it('turns a revoked refresh token into REFRESH_TOKEN_REVOKED with a reconnect fix', async () => {
    const stateDir = await webConnected();
    const creds = await loadCredentials({ stateDir, ...keys });
    await revokeToken(emu.loginUrl, creds.secrets.refreshToken as string);
    const opened = await openConnection({ stateDir, ...keys });
    await expect(opened.connection.query('SELECT Id FROM Contact LIMIT 1')).rejects.toThrow();
    const failure = opened.renewalFailure();
    expect(failure).toBeInstanceOf(OrgRefusedError);
    expect(failure?.code).toBe('REFRESH_TOKEN_REVOKED');
    expect(failure?.actions.join(' ')).toContain('tightknit-sync connect');
  });

  it('renews a client credentials session by asking again', async () => {
    const stateDir = tempStateDir();
    await connect({
      stateDir,
      ...keys,
      method: 'client-credentials',
      loginUrl: emu.loginUrl,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
    });
    const opened = await openConnection({ stateDir, ...keys });
    await sleep(TTL + 100);
    await expect(opened.connection.query('SELECT Id FROM Contact LIMIT 1')).resolves.toMatchObject({ done: true });
  });
});

describe('JWT renewal', () => {
  it('signs a new assertion when the access token expires', async () => {
    const stateDir = tempStateDir();
    const keyFile = join(stateDir, 'server.key');
    writeFileSync(keyFile, emu.jwtPrivateKeyPem, { mode: 0o600 });
    await connect({
      stateDir,
      ...keys,
      method: 'jwt',
      loginUrl: emu.loginUrl,
      clientId: emu.clientId,
      keyFile,
      username: emu.users.integration.username,
    });
    let renewed = 0;
    const opened = await openConnection({ stateDir, ...keys, onRenewed: () => renewed++ });
    await sleep(TTL + 100);
    await expect(opened.connection.query('SELECT Id FROM Contact LIMIT 1')).resolves.toMatchObject({ done: true });
    expect(renewed).toBe(1);
  });
});

describe('encryption at rest', () => {
  const sample: StoredCredentials = {
    method: 'web',
    loginUrl: 'https://login.salesforce.com',
    instanceUrl: 'https://acme.my.salesforce.com',
    username: 'sync@acme.example',
    connectedAt: '2026-01-01T00:00:00.000Z',
    secrets: { accessToken: '00Dxx!ACCESS-TOKEN-VALUE', refreshToken: '5Aep861REFRESH-TOKEN-VALUE' },
  };

  async function rejection(p: Promise<unknown>): Promise<TightknitError> {
    try {
      await p;
    } catch (err) {
      if (err instanceof TightknitError) return err;
      throw err;
    }
    throw new Error('expected a rejection');
  }

  it('keeps tokens out of the file and reads them back with the same key', async () => {
    const stateDir = tempStateDir();
    await saveCredentials(sample, { stateDir, ...keys });
    const text = readFileSync(credentialsPath(stateDir), 'utf8');
    expect(text).not.toContain('ACCESS-TOKEN-VALUE');
    expect(text).not.toContain('REFRESH-TOKEN-VALUE');
    expect(JSON.parse(text)).toMatchObject({ keySource: 'env', secrets: { alg: 'aes-256-gcm' } });
    await expect(loadCredentials({ stateDir, ...keys })).resolves.toEqual(sample);
  });

  it('fails clearly with a wrong key', async () => {
    const stateDir = tempStateDir();
    await saveCredentials(sample, { stateDir, ...keys });
    const wrong = { TIGHTKNIT_ENCRYPTION_KEY: randomBytes(32).toString('base64') } as NodeJS.ProcessEnv;
    const err = await rejection(loadCredentials({ stateDir, env: wrong, keychain: null }));
    expect(err.code).toBe('CREDENTIALS_UNREADABLE');
    expect(err.actions.join(' ')).toContain('TIGHTKNIT_ENCRYPTION_KEY');
  });

  it('fails clearly when the key variable is gone', async () => {
    const stateDir = tempStateDir();
    await saveCredentials(sample, { stateDir, ...keys });
    const err = await rejection(loadCredentials({ stateDir, env: {}, keychain: null }));
    expect(err.code).toBe('ENCRYPTION_KEY_MISSING');
  });

  it('detects a changed file (the connection info is authenticated too)', async () => {
    const stateDir = tempStateDir();
    await saveCredentials(sample, { stateDir, ...keys });
    const file = JSON.parse(readFileSync(credentialsPath(stateDir), 'utf8')) as { info: { instanceUrl: string } };
    file.info.instanceUrl = 'https://evil.example.com';
    writeFileSync(credentialsPath(stateDir), JSON.stringify(file));
    const err = await rejection(loadCredentials({ stateDir, ...keys }));
    expect(err.code).toBe('CREDENTIALS_UNREADABLE');
  });

  it('rejects a malformed key variable', async () => {
    const err = await rejection(
      saveCredentials(sample, { stateDir: tempStateDir(), env: { TIGHTKNIT_ENCRYPTION_KEY: 'short' }, keychain: null }),
    );
    expect(err.code).toBe('ENCRYPTION_KEY_INVALID');
  });

  it('falls back to a 0600 key file with a warning, and deletes it on disconnect', async () => {
    const stateDir = tempStateDir();
    const saved = await saveCredentials(sample, { stateDir, env: {}, keychain: null });
    expect(saved.keySource).toBe('file');
    expect(saved.warning).toContain('TIGHTKNIT_ENCRYPTION_KEY');
    const keyFile = join(stateDir, 'credentials.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    await expect(loadCredentials({ stateDir, env: {}, keychain: null })).resolves.toEqual(sample);
    expect(deleteCredentials(stateDir)).toBe(true);
    expect(existsSync(keyFile)).toBe(false);
    expect(existsSync(credentialsPath(stateDir))).toBe(false);
  });

  it('wraps the key with the OS keychain when one is available', async () => {
    const stateDir = tempStateDir();
    const vault = randomBytes(32);
    const keychain = {
      wrap: async (plain: string) =>
        Buffer.from(Buffer.from(plain).map((b, i) => b ^ vault[i % 32])).toString('base64'),
      unwrap: async (wrapped: string) =>
        Buffer.from(Buffer.from(wrapped, 'base64').map((b, i) => b ^ vault[i % 32])).toString(),
    };
    const saved = await saveCredentials(sample, { stateDir, env: {}, keychain });
    expect(saved.keySource).toBe('keychain');
    expect(existsSync(join(stateDir, 'credentials.key'))).toBe(false);
    await expect(loadCredentials({ stateDir, env: {}, keychain })).resolves.toEqual(sample);
  });
});
