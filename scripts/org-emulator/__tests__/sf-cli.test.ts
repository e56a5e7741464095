import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '..';
import { isolatedSf, type IsolatedSf } from './helpers/sf-cli';

/**
 * The real sf CLI (node_modules/.bin/sf) against the emulator, as a Salesforce developer would use
 * it: log in with an access token, show the org, query, and bulk-upsert a CSV into Community Member.
 * Four sf calls in all: each costs about a second and a half of start-up (about 8 s for the test on an
 * idle machine, 41 s in a full `npm test` at load average 20, hence the generous timeout).
 */
describe('the sf CLI against the emulator', () => {
  let emu: RunningEmulator;
  let sf: IsolatedSf;

  beforeAll(async () => {
    emu = await startEmulator();
    sf = isolatedSf();
    emu.org.insert('Contact', [
      { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.com' },
      { FirstName: 'Grace', LastName: 'Hopper', Email: 'grace@example.com' },
    ]);
    emu.org.insert('tightknit__Community__c', [{ Name: 'Acme Community', tightknit__Tightknit_Id__c: 'slack:T1' }]);
  });
  afterAll(async () => {
    await emu.close();
  });

  it('logs in with an access token, displays the org, queries and bulk-upserts Members', async () => {
    const login = await sf.run(
      ['org', 'login', 'access-token', '--instance-url', emu.instanceUrl, '--alias', 'emu', '--no-prompt', '--json'],
      { SF_ACCESS_TOKEN: emu.issueTokens('admin').accessToken },
    );
    expect(login.json).toMatchObject({ status: 0, result: { username: emu.users.admin.username } });

    // org display asks the org for its details: //services/data, the versions list, Organization.
    const display = await sf.run(['org', 'display', '-o', 'emu', '--json']);
    expect(display.json).toMatchObject({
      status: 0,
      result: { connectedStatus: 'Connected', apiVersion: '65.0', alias: 'emu', username: emu.users.admin.username },
    });

    const query = await sf.run([
      'data',
      'query',
      '-q',
      'SELECT Id, Name FROM Contact ORDER BY Name',
      '-o',
      'emu',
      '--json',
    ]);
    expect(query.json).toMatchObject({ status: 0 });
    const records = (query.json?.result?.records ?? []) as Array<{ Name: string }>;
    expect(records.map((r) => r.Name)).toEqual(['Ada Lovelace', 'Grace Hopper']);

    const csv = join(sf.home, 'members.csv');
    writeFileSync(
      csv,
      [
        'Name,tightknit__Tightknit_Id__c,tightknit__Community__r.tightknit__Tightknit_Id__c,tightknit__Email__c',
        'Ada Lovelace,slack:T1:U1,slack:T1,ada@example.com',
        'Grace Hopper,slack:T1:U2,slack:T1,grace@example.com',
        '',
      ].join('\n'),
    );
    const upsert = await sf.run([
      'data',
      'upsert',
      'bulk',
      '-s',
      'tightknit__Member__c',
      '-i',
      'tightknit__Tightknit_Id__c',
      '-f',
      csv,
      '--wait',
      '2',
      '-o',
      'emu',
      '--json',
    ]);
    expect(upsert.json).toMatchObject({
      status: 0,
      result: { jobInfo: { state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 } },
    });
    const [community] = emu.org.records('tightknit__Community__c');
    const members = emu.org.records('tightknit__Member__c');
    expect(members.map((m) => [m.tightknit__Tightknit_Id__c, m.tightknit__Community__c]).sort()).toEqual([
      ['slack:T1:U1', community.Id],
      ['slack:T1:U2', community.Id],
    ]);
    // The login went to the temp home's auth store, not the machine's.
    expect(existsSync(join(sf.home, '.sfdx', `${emu.users.admin.username}.json`))).toBe(true);
  }, 120_000);
});
