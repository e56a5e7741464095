import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { main } from '../../../cli/main';
import { startEmulator, type RunningEmulator } from '../../../org-emulator';
import { isolatedSf, type IsolatedSf } from '../../../org-emulator/__tests__/helpers/sf-cli';
import { tempDir, writeCommunityFeed } from '../../ops/__tests__/fixtures';
import { loadCredentials } from '../credential-store';
import { revokeToken } from '../token-endpoint';

/**
 * `tightknit-sync connect --target-org <alias>` over the sf CLI's own auth store, in a temp HOME per
 * login so the machine's sf logins are never read or changed. Logins are made the ways an admin makes
 * them: the real sf binary (`org login jwt`, `org login access-token`), and @salesforce/core's AuthInfo
 * with a refresh token, which is what `sf org login web` and `sf org login sfdx-url` store (neither can
 * be driven here: one needs a browser, the other only accepts https).
 */
describe('connect --target-org through the sf CLI', () => {
  let emu: RunningEmulator;
  let output: string[];
  const envKeys = [
    'TIGHTKNIT_ENCRYPTION_KEY',
    'TIGHTKNIT_KEYCHAIN',
    'SF_USE_GENERIC_UNIX_KEYCHAIN',
    'SF_DISABLE_TELEMETRY',
  ] as const;
  const saved = Object.fromEntries(envKeys.map((k) => [k, process.env[k]]));

  beforeAll(async () => {
    emu = await startEmulator();
    process.env.TIGHTKNIT_ENCRYPTION_KEY = randomBytes(32).toString('base64');
    process.env.TIGHTKNIT_KEYCHAIN = 'off';
    // The same file-based keychain the isolated sf binary uses, so both read one store.
    process.env.SF_USE_GENERIC_UNIX_KEYCHAIN = 'true';
    process.env.SF_DISABLE_TELEMETRY = 'true';
  });
  afterAll(async () => {
    await emu.close();
    for (const k of envKeys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
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

  /**
   * Points @salesforce/core in this process at `sf.home`. Jest gives tests a copy of process.env, so
   * setting HOME there does not reach os.homedir(), which is where core looks for ~/.sfdx.
   */
  function useHome(sf: IsolatedSf): void {
    jest.spyOn(os, 'homedir').mockReturnValue(sf.home);
  }

  /** Runs tightknit-sync in-process with the sf CLI's store in `sf.home`. */
  async function cli(sf: IsolatedSf, stateDir: string, ...args: string[]): Promise<{ code: number; text: string }> {
    useHome(sf);
    process.exitCode = undefined;
    const start = output.length;
    const code = await main(['node', 'tightknit-sync', '--state-dir', stateDir, ...args]);
    process.exitCode = undefined;
    return { code, text: output.slice(start).join('') };
  }

  /** The access token the sf CLI's store holds for a user (decrypted by @salesforce/core, as sf would). */
  async function storedTokens(sf: IsolatedSf, username: string): Promise<{ access?: string; refresh?: string }> {
    useHome(sf);
    const { AuthInfo, StateAggregator } = await import('@salesforce/core');
    await StateAggregator.clearInstanceAsync();
    const fields = (await AuthInfo.create({ username })).getFields(true);
    return { access: fields.accessToken, refresh: fields.refreshToken };
  }

  it('reuses an `sf org login jwt` login: connect, check and sync, and renews an expired session', async () => {
    const sf = isolatedSf();
    const keyFile = join(sf.home, 'server.key');
    writeFileSync(keyFile, emu.jwtPrivateKeyPem, { mode: 0o600 });
    const username = emu.users.integration.username;
    const login = await sf.run([
      'org',
      'login',
      'jwt',
      '--client-id',
      emu.clientId,
      '--jwt-key-file',
      keyFile,
      '--username',
      username,
      '--instance-url',
      emu.instanceUrl,
      '--alias',
      'tk-jwt',
      '--json',
    ]);
    expect(login.json).toMatchObject({ status: 0, result: { username } });

    const stateDir = tempDir();
    const connected = await cli(sf, stateDir, 'connect', '--target-org', 'tk-jwt');
    expect(connected.code).toBe(0);
    expect(connected.text).toContain(`Connected to ${emu.instanceUrl} as ${username} (sf-org).`);
    const creds = await loadCredentials({ stateDir });
    expect(creds).toMatchObject({ method: 'sf-org', targetOrg: 'tk-jwt', instanceUrl: emu.instanceUrl, username });
    expect(creds.orgId).toMatch(/^00D/);
    expect(creds.secrets).toEqual({});

    expect((await cli(sf, stateDir, 'ingest', writeCommunityFeed(tempDir(), 12))).code).toBe(0);
    const before = await storedTokens(sf, username);
    emu.expireAccessTokens();
    const check = await cli(sf, stateDir, 'check');
    expect(check.code).toBe(0);
    expect(check.text).toContain('✓ API access');
    const sync = await cli(sf, stateDir, 'sync');
    expect(sync.code).toBe(0);
    expect(sync.text).toMatch(/Run #1 \(backfill\) Succeeded/);
    expect(emu.org.records('tightknit__Member__c')).toHaveLength(8);
    // The renewed session went back to the sf CLI's store, where the sf CLI itself will use it.
    const after = await storedTokens(sf, username);
    expect(after.access).toBeTruthy();
    expect(after.access).not.toBe(before.access);
  }, 60_000);

  it('renews a refresh-token login (sf org login web / sfdx-url) and names the fix once it is revoked', async () => {
    const sf = isolatedSf();
    const { refreshToken } = emu.issueTokens('integration');
    const username = await sf.loginWithRefreshToken({
      loginUrl: emu.loginUrl,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      refreshToken,
      alias: 'tk-web',
    });
    expect(username).toBe(emu.users.integration.username);

    const stateDir = tempDir();
    expect((await cli(sf, stateDir, 'connect', '--target-org', 'tk-web')).code).toBe(0);
    expect((await cli(sf, stateDir, 'ingest', writeCommunityFeed(tempDir(), 12))).code).toBe(0);
    const before = await storedTokens(sf, username);
    emu.expireAccessTokens();
    const sync = await cli(sf, stateDir, 'sync', '--backfill');
    expect(sync.code).toBe(0);
    expect(sync.text).toMatch(/\(backfill\) Succeeded/);
    const after = await storedTokens(sf, username);
    expect(after.access).not.toBe(before.access);
    expect(after.refresh).toBe(refreshToken);

    await revokeToken(emu.loginUrl, refreshToken);
    const revoked = await cli(sf, stateDir, 'sync', '--backfill');
    expect(revoked.code).toBe(3);
    expect(revoked.text).toContain('The sf CLI could not renew its session for "tk-web"');
    expect(revoked.text).toContain('sf org login web --alias tk-web');
  }, 60_000);

  it('an access-token login works until it expires, then says it cannot renew and how to log in again', async () => {
    const sf = isolatedSf();
    const login = await sf.run(
      [
        'org',
        'login',
        'access-token',
        '--instance-url',
        emu.instanceUrl,
        '--alias',
        'tk-token',
        '--no-prompt',
        '--json',
      ],
      { SF_ACCESS_TOKEN: emu.issueTokens('integration').accessToken },
    );
    expect(login.json).toMatchObject({ status: 0 });
    const stateDir = tempDir();
    const connected = await cli(sf, stateDir, 'connect', '--target-org', 'tk-token');
    expect(connected.code).toBe(0);
    // The sf CLI stores this login's instance URL with a trailing slash; the sync keeps one form.
    expect(connected.text).toContain(`Connected to ${emu.instanceUrl} as`);
    expect(connected.text).toContain('cannot renew itself');
    expect((await cli(sf, stateDir, 'ingest', writeCommunityFeed(tempDir(), 12))).code).toBe(0);
    expect((await cli(sf, stateDir, 'check')).code).toBe(0);

    emu.expireAccessTokens();
    const expired = await cli(sf, stateDir, 'sync', '--backfill');
    expect(expired.code).toBe(3);
    expect(expired.text).toContain(`The sf CLI's session for "tk-token" expired, and it cannot renew itself`);
    expect(expired.text).toContain('sf org login web --alias tk-token');
    const check = await cli(sf, stateDir, 'check');
    expect(check.code).not.toBe(0);
    expect(check.text).toContain(`The sf CLI's session for "tk-token" expired`);

    // An alias that store does not have: exit 2, naming the alias and `sf org list`.
    const unknown = await cli(sf, tempDir(), 'connect', '--target-org', 'tk-nope');
    expect(unknown.code).toBe(2);
    expect(unknown.text).toContain('The sf CLI knows no org "tk-nope"');
    expect(unknown.text).toContain('sf org list');
  }, 60_000);

  it('says the sf CLI knows no such org on a machine where it never logged in', async () => {
    const sf = isolatedSf();
    const r = await cli(sf, tempDir(), '--json', 'connect', '--target-org', 'no-such-alias');
    expect(r.code).toBe(2);
    expect(r.text).toContain('no-such-alias');
    expect(r.text).toContain('sf org list');
    expect(r.text).toContain('SF_ORG_NOT_FOUND');
  });

  it('says which URL it could not reach when the org is down', async () => {
    const gone = await startEmulator();
    const sf = isolatedSf();
    await sf.loginWithRefreshToken({
      loginUrl: gone.loginUrl,
      clientId: gone.clientId,
      clientSecret: gone.clientSecret,
      refreshToken: gone.issueTokens('integration').refreshToken,
      alias: 'tk-gone',
    });
    await gone.close();
    const r = await cli(sf, tempDir(), 'connect', '--target-org', 'tk-gone');
    expect(r.code).toBe(2);
    expect(r.text).toContain(`Could not reach ${gone.instanceUrl}, the sf CLI's org "tk-gone"`);
    expect(r.text).toContain('sf org display --target-org tk-gone');
  }, 60_000);
});
