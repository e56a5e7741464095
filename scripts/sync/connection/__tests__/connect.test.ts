import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../org-emulator';
import { OrgRefusedError, TightknitError, UsageError } from '../../errors';
import { connect } from '../connect';
import { credentialsPath, loadCredentials } from '../credential-store';
import { pkceChallenge } from '../pkce';
import { webServerLogin } from '../web-flow';
import { scriptedBrowser, TEST_ENV, tempStateDir } from './helpers';

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

const CALLBACK = 'http://127.0.0.1:0/callback';

async function rejection(p: Promise<unknown>): Promise<TightknitError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TightknitError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

function webConnect(
  stateDir: string,
  username: string,
  password: string,
  extra: Partial<Parameters<typeof connect>[0]> = {},
) {
  return connect({
    stateDir,
    env: TEST_ENV,
    keychain: null,
    method: 'web',
    loginUrl: emu.loginUrl,
    clientId: emu.clientId,
    callbackUrl: CALLBACK,
    openUrl: scriptedBrowser(emu, { username, password }),
    timeoutMs: 10_000,
    ...extra,
  });
}

describe('web server flow with PKCE', () => {
  it('connects the integration user and stores the tokens encrypted', async () => {
    const stateDir = tempStateDir();
    const lines: string[] = [];
    const { integration } = emu.users;
    const result = await webConnect(stateDir, integration.username, integration.password, {
      onProgress: (l) => lines.push(l),
    });
    expect(result.info).toMatchObject({
      method: 'web',
      username: integration.username,
      userId: integration.id,
      instanceUrl: emu.instanceUrl,
    });
    expect(result.keySource).toBe('env');

    const creds = await loadCredentials({ stateDir, env: TEST_ENV, keychain: null });
    expect(creds.secrets.accessToken).toBeTruthy();
    expect(creds.secrets.refreshToken).toBeTruthy();
    const onDisk = readFileSync(credentialsPath(stateDir), 'utf8');
    expect(onDisk).not.toContain(creds.secrets.accessToken);
    expect(onDisk).not.toContain(creds.secrets.refreshToken);
    expect(statSync(credentialsPath(stateDir)).mode & 0o777).toBe(0o600);
    for (const line of lines) {
      expect(line).not.toContain(creds.secrets.accessToken);
      expect(line).not.toContain(creds.secrets.refreshToken);
    }
  });

  it('refuses an answer whose state does not match', async () => {
    const { integration } = emu.users;
    const err = await rejection(
      webConnect(tempStateDir(), integration.username, integration.password, {
        openUrl: scriptedBrowser(emu, {
          ...integration,
          tamper: (u) => u.searchParams.set('state', 'forged'),
        }),
      }),
    );
    expect(err).toBeInstanceOf(OrgRefusedError);
    expect(err.code).toBe('OAUTH_STATE_MISMATCH');
  });

  it('fails clearly when the PKCE verifier does not match the challenge', async () => {
    const { integration } = emu.users;
    const err = await rejection(
      webServerLogin({
        loginUrl: emu.loginUrl,
        clientId: emu.clientId,
        callbackUrl: CALLBACK,
        openUrl: scriptedBrowser(emu, integration),
        pkce: { verifier: 'the-verifier-we-send', challenge: pkceChallenge('a-different-verifier') },
        timeoutMs: 10_000,
      }),
    );
    expect(err.code).toBe('OAUTH_INVALID_GRANT');
    expect(err.exitCode).toBe(3);
  });

  it('explains OAUTH_APP_ACCESS_DENIED with the Manage Permission Sets fix', async () => {
    const { unapproved } = emu.users;
    const err = await rejection(webConnect(tempStateDir(), unapproved.username, unapproved.password));
    expect(err.code).toBe('OAUTH_APP_ACCESS_DENIED');
    expect(err.message).toContain('OAUTH_APP_ACCESS_DENIED');
    expect(err.actions.join(' ')).toMatch(
      /External Client App Manager → Tightknit Salesforce → Policies.*Manage Permission Sets.*Tightknit Integration User/,
    );
  });

  it('points an API-only user at a UI-capable license or a server-to-server flow', async () => {
    const { apiOnly } = emu.users;
    const script = { ...apiOnly, lastPage: undefined as string | undefined };
    const err = await rejection(
      webConnect(tempStateDir(), apiOnly.username, apiOnly.password, {
        openUrl: scriptedBrowser(emu, script),
        timeoutMs: 300,
      }),
    );
    expect(script.lastPage).toMatch(/API-only users cannot log in/);
    expect(err.code).toBe('OAUTH_TIMEOUT');
    expect(err.actions.join(' ')).toMatch(/API-only.*--client-credentials or --jwt/);
  });

  it('rejects an unknown consumer key before opening the browser', async () => {
    let opened = false;
    const err = await rejection(
      webConnect(tempStateDir(), 'x', 'y', { clientId: 'not-a-key', openUrl: () => void (opened = true) }),
    );
    expect(opened).toBe(false);
    expect(err.code).toBe('OAUTH_INVALID_CLIENT');
    expect(err.actions.join(' ')).toContain('Consumer Key');
  });
});

describe('wrong login URL', () => {
  it('says when the host cannot be reached', async () => {
    const err = await rejection(webConnect(tempStateDir(), 'x', 'y', { loginUrl: 'http://127.0.0.1:9' }));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.code).toBe('LOGIN_URL_UNREACHABLE');
    expect(err.actions.join(' ')).toContain('test.salesforce.com');
  });

  it('says when the host is not a Salesforce login server', async () => {
    const server = createServer((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const err = await rejection(webConnect(tempStateDir(), 'x', 'y', { loginUrl: url }));
      expect(err.code).toBe('NOT_A_SALESFORCE_LOGIN');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('rejects something that is not a URL', async () => {
    const err = await rejection(webConnect(tempStateDir(), 'x', 'y', { loginUrl: 'https://exa mple.com' }));
    expect(err.code).toBe('INVALID_LOGIN_URL');
  });
});

describe('JWT bearer flow', () => {
  let keyFile: string;
  beforeAll(() => {
    keyFile = join(tempStateDir(), 'server.key');
    writeFileSync(keyFile, emu.jwtPrivateKeyPem, { mode: 0o600 });
  });

  it('connects with an RS256 assertion signed by node:crypto', async () => {
    const stateDir = tempStateDir();
    const r = await connect({
      stateDir,
      env: TEST_ENV,
      keychain: null,
      method: 'jwt',
      loginUrl: emu.loginUrl,
      clientId: emu.clientId,
      keyFile,
      username: emu.users.integration.username,
    });
    expect(r.info).toMatchObject({ method: 'jwt', username: emu.users.integration.username, jwtKeyFile: keyFile });
  });

  it('explains a user the app does not admit', async () => {
    const err = await rejection(
      connect({
        stateDir: tempStateDir(),
        env: TEST_ENV,
        keychain: null,
        method: 'jwt',
        loginUrl: emu.loginUrl,
        clientId: emu.clientId,
        keyFile,
        username: emu.users.unapproved.username,
      }),
    );
    expect(err.code).toBe('OAUTH_APP_ACCESS_DENIED');
  });

  it('needs --key-file and --username', async () => {
    const err = await rejection(
      connect({
        stateDir: tempStateDir(),
        env: TEST_ENV,
        keychain: null,
        method: 'jwt',
        loginUrl: emu.loginUrl,
        clientId: emu.clientId,
      }),
    );
    expect(err.code).toBe('MISSING_OPTION');
    expect(err.exitCode).toBe(2);
  });
});

describe('client credentials flow', () => {
  const cc = (loginUrl: string, clientSecret: string) =>
    connect({
      stateDir: tempStateDir(),
      env: TEST_ENV,
      keychain: null,
      method: 'client-credentials',
      loginUrl,
      clientId: emu.clientId,
      clientSecret,
    });

  it('connects as the run-as user of the app', async () => {
    const r = await cc(emu.loginUrl, emu.clientSecret);
    expect(r.info).toMatchObject({ method: 'client-credentials', username: emu.users.integration.username });
  });

  it.each(['https://login.salesforce.com', 'https://test.salesforce.com'])(
    'requires a My Domain URL, not %s',
    async (url) => {
      const err = await rejection(cc(url, 'secret'));
      expect(err.code).toBe('MY_DOMAIN_REQUIRED');
      expect(err.message).toContain(url);
      expect(err.actions.join(' ')).toContain('my.salesforce.com');
    },
  );

  it('explains a wrong consumer secret', async () => {
    const err = await rejection(cc(emu.loginUrl, 'wrong'));
    expect(err.code).toBe('OAUTH_INVALID_CLIENT');
  });

  it('takes the consumer key from TIGHTKNIT_CLIENT_ID', async () => {
    const r = await connect({
      stateDir: tempStateDir(),
      env: { ...TEST_ENV, TIGHTKNIT_CLIENT_ID: emu.clientId, TIGHTKNIT_CLIENT_SECRET: emu.clientSecret },
      keychain: null,
      method: 'client-credentials',
      loginUrl: emu.loginUrl,
    });
    expect(r.info.clientId).toBe(emu.clientId);
  });
});
