import { randomBytes } from 'node:crypto';
import { main } from '../../cli/main';
import { tempDir, writeCommunityFeed } from '../../sync/ops/__tests__/fixtures';
import { EmulatorFleet, startEmulators } from '../index';

interface OrgLine {
  org: number;
  instanceUrl: string;
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  usernames: Record<string, string>;
  passwords: Record<string, string>;
}

/** The CLI in-process, every line it writes captured. */
describe('tightknit-sync against several orgs of one emulator', () => {
  let output: string[];
  const saved = { key: process.env.TIGHTKNIT_ENCRYPTION_KEY, keychain: process.env.TIGHTKNIT_KEYCHAIN };
  beforeAll(() => {
    process.env.TIGHTKNIT_ENCRYPTION_KEY = randomBytes(32).toString('base64');
    process.env.TIGHTKNIT_KEYCHAIN = 'off';
  });
  afterAll(() => {
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

  it('emulator --orgs 3 --json prints one envelope listing each org’s URLs and credentials, and serves them all', async () => {
    const run = main(['node', 'tightknit-sync', '--json', 'emulator', '--orgs', '3']);
    for (let i = 0; i < 300 && output.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const envelope = JSON.parse(output.join('')) as { status: number; result: { orgs: OrgLine[] } };
    expect(envelope.status).toBe(0);
    const orgs = envelope.result.orgs;
    expect(orgs.map((o) => o.org)).toEqual([1, 2, 3]);
    expect(new Set(orgs.map((o) => o.instanceUrl)).size).toBe(3);
    for (const o of orgs) {
      expect(o.loginUrl).toBe(o.instanceUrl);
      expect(o.clientSecret).toMatch(/^[0-9A-F]{64}$/);
      expect(o.passwords.integration).toBeTruthy();
      const token = await fetch(`${o.loginUrl}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: o.clientId,
          client_secret: o.clientSecret,
        }),
      });
      const { access_token } = (await token.json()) as { access_token: string };
      const me = await fetch(`${o.instanceUrl}/services/oauth2/userinfo`, {
        headers: { Authorization: `Bearer ${access_token}` },
      });
      expect(((await me.json()) as { preferred_username: string }).preferred_username).toBe(o.usernames.integration);
    }
    process.emit('SIGINT');
    expect(await run).toBe(0);
    await expect(fetch(`${orgs[1].instanceUrl}/services/data`)).rejects.toThrow();
  });

  it('emulator --orgs 1 prints the same orgs list, so a script reads one shape whatever N is', async () => {
    const run = main(['node', 'tightknit-sync', 'emulator', '--orgs', '1']);
    for (let i = 0; i < 300 && output.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const line = JSON.parse(output.join('')) as { orgs: OrgLine[] };
    expect(line.orgs).toHaveLength(1);
    expect(line.orgs[0].usernames.admin).toBe('admin@tightknit-emulator.test');
    process.emit('SIGTERM');
    expect(await run).toBe(0);
  });

  it('emulator --orgs with --data is a usage error naming the fix', async () => {
    expect(await main(['node', 'tightknit-sync', 'emulator', '--orgs', '2', '--data', 'x.ndjson'])).toBe(2);
    expect(output.join('')).toContain('--data and --seed-contacts load one org');
    output.length = 0;
    expect(await main(['node', 'tightknit-sync', 'emulator', '--orgs', '0'])).toBe(2);
    expect(output.join('')).toContain('a whole number from 1 to 1000');
  });

  describe('the sync against org 2 of 3', () => {
    let fleet: EmulatorFleet;
    beforeAll(async () => {
      fleet = await startEmulators({ orgs: 3 });
    });
    afterAll(async () => {
      await fleet.close();
    });

    it('connects with client credentials and syncs into org 2 only; orgs 1 and 3 stay empty', async () => {
      const [one, two, three] = fleet.orgs;
      const stateDir = tempDir();
      const cli = (...args: string[]) => main(['node', 'tightknit-sync', '--state-dir', stateDir, ...args]);
      const connect = [
        ...['connect', '--client-credentials', '--login-url', two.loginUrl],
        ...['--client-id', two.clientId, '--client-secret', two.clientSecret],
      ];
      expect(await cli(...connect)).toBe(0);
      expect(await cli('ingest', writeCommunityFeed(tempDir(), 20))).toBe(0);
      expect(await cli('sync')).toBe(0);
      expect(output.join('')).toMatch(/Run #1 \(backfill\) Succeeded/);

      expect(two.org.records('tightknit__Member__c')).toHaveLength(8);
      expect(two.org.records('tightknit__Activity__c')).toHaveLength(20);
      for (const other of [one, three]) {
        expect(other.org.apiCallCount()).toBe(0);
        expect(other.org.records('tightknit__Member__c')).toHaveLength(0);
        expect(other.org.records('tightknit__Activity__c')).toHaveLength(0);
      }
    });
  });
});
