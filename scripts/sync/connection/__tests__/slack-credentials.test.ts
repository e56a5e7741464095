import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentialsPath, deleteCredentials } from '../credential-store';
import {
  deleteSlackCredentials,
  loadSlackCredentials,
  readSlackConnectionInfo,
  saveSlackCredentials,
  slackCredentialsPath,
  type SlackConnectionInfo,
  type SlackSecrets,
} from '../slack-credentials';
import { TEST_ENV, tempStateDir } from './helpers';

const secrets: SlackSecrets = {
  botToken: 'xoxb-1111-2222-secretbot',
  signingSecret: 'sign-secret-abcdef',
  appToken: 'xapp-1-A1-secretapp',
};
const info: SlackConnectionInfo = {
  teamId: 'T0ACME',
  teamName: 'Acme Community',
  domain: 'acme',
  url: 'https://acme.slack.com/',
  botUserId: 'U0BOT',
  connectedAt: '2026-01-10T10:00:00.000Z',
  hasSigningSecret: true,
  hasAppToken: true,
};

describe('Slack credentials', () => {
  it('round-trips through an encrypted 0600 file whose clear part holds nothing secret', async () => {
    const stateDir = tempStateDir();
    const saved = await saveSlackCredentials({ stateDir, env: TEST_ENV, keychain: null }, secrets, info);
    expect(saved.keySource).toBe('env');
    const file = slackCredentialsPath(stateDir);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    for (const s of Object.values(secrets)) expect(text).not.toContain(s);
    expect(readSlackConnectionInfo(stateDir)).toEqual(info);
    expect(await loadSlackCredentials({ stateDir, env: TEST_ENV, keychain: null })).toEqual({ secrets, info });
  });

  it('stays readable when the org is disconnected (the key file is kept for it)', async () => {
    const stateDir = tempStateDir();
    const opts = { stateDir, env: {}, keychain: null };
    expect((await saveSlackCredentials(opts, secrets, info)).keySource).toBe('file');
    deleteCredentials(stateDir);
    expect(await loadSlackCredentials(opts)).toEqual({ secrets, info });
  });

  it('is undefined when no workspace is connected', async () => {
    const stateDir = tempStateDir();
    expect(readSlackConnectionInfo(stateDir)).toBeUndefined();
    expect(await loadSlackCredentials({ stateDir, env: TEST_ENV, keychain: null })).toBeUndefined();
    expect(deleteSlackCredentials(stateDir)).toBe(false);
  });

  it('refuses an edited workspace (the info is authenticated) and a wrong key', async () => {
    const stateDir = tempStateDir();
    await saveSlackCredentials({ stateDir, env: TEST_ENV, keychain: null }, secrets, info);
    const file = slackCredentialsPath(stateDir);
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('T0ACME', 'T0EVIL'));
    await expect(loadSlackCredentials({ stateDir, env: TEST_ENV, keychain: null })).rejects.toMatchObject({
      code: 'CREDENTIALS_UNREADABLE',
    });
    writeFileSync(file, original);
    const otherKey = { TIGHTKNIT_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') } as NodeJS.ProcessEnv;
    await expect(loadSlackCredentials({ stateDir, env: otherKey, keychain: null })).rejects.toMatchObject({
      code: 'CREDENTIALS_UNREADABLE',
    });
  });

  it('shares the key file with the org credentials and keeps it while an org is connected', async () => {
    const stateDir = tempStateDir();
    const saved = await saveSlackCredentials({ stateDir, env: {}, keychain: null }, secrets, info);
    expect(saved.keySource).toBe('file');
    expect(saved.warning).toContain('credentials.key');
    const keyFile = join(stateDir, 'credentials.key');
    writeFileSync(credentialsPath(stateDir), '{}');
    expect(deleteSlackCredentials(stateDir)).toBe(true);
    expect(existsSync(keyFile)).toBe(true);
    expect(readSlackConnectionInfo(stateDir)).toBeUndefined();

    await saveSlackCredentials({ stateDir, env: {}, keychain: null }, secrets, info);
    rmSync(credentialsPath(stateDir));
    expect(deleteSlackCredentials(stateDir)).toBe(true);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('names the fix when the file is not readable', () => {
    const stateDir = tempStateDir();
    writeFileSync(slackCredentialsPath(stateDir), 'not json');
    expect(() => readSlackConnectionInfo(stateDir)).toThrow(
      expect.objectContaining({
        code: 'SLACK_CREDENTIALS_UNREADABLE',
        actions: [expect.stringContaining('connect-slack')],
      }),
    );
  });
});
