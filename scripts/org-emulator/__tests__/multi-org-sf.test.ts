import { EmulatorFleet, startEmulators } from '..';
import { isolatedSf } from './helpers/sf-cli';

/**
 * The real sf CLI logged in to two orgs of one emulator process: each org's origin is its instance URL,
 * and the usernames differ, so both logins live side by side in one sf home and each query reaches its
 * own org. Four sf calls (about 1.5 s each on an idle machine; far more under a full `npm test`).
 */
describe('the sf CLI against two orgs of one emulator process', () => {
  let fleet: EmulatorFleet;
  beforeAll(async () => {
    fleet = await startEmulators({ orgs: 3 });
  });
  afterAll(async () => {
    await fleet.close();
  });

  it('logs in to org 2 and org 3 and reads each org’s own Accounts', async () => {
    const sf = isolatedSf();
    const orgs = [fleet.orgs[1], fleet.orgs[2]];
    orgs.forEach((o, i) => o.org.insert('Account', [{ Name: `Account of org ${i + 2}` }]));
    for (const [i, o] of orgs.entries()) {
      const login = await sf.run(
        [
          'org',
          'login',
          'access-token',
          '--instance-url',
          o.instanceUrl,
          '--alias',
          `org${i + 2}`,
          '--no-prompt',
          '--json',
        ],
        { SF_ACCESS_TOKEN: o.issueTokens('admin').accessToken },
      );
      expect(login.json).toMatchObject({ status: 0, result: { username: o.users.admin.username } });
    }
    for (const [i, alias] of ['org2', 'org3'].entries()) {
      const query = await sf.run(['data', 'query', '-q', 'SELECT Name FROM Account', '-o', alias, '--json']);
      expect(query.json).toMatchObject({ status: 0, result: { totalSize: 1 } });
      expect(JSON.stringify(query.json?.result)).toContain(`Account of org ${i + 2}`);
    }
    expect(fleet.orgs[0].org.apiCallCount()).toBe(0);
  }, 180_000);
});
