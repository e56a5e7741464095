import type { RunningEmulator } from '..';
import { call, withEmulator } from './helpers/emulator';

/** The requests the sf CLI makes besides the sync's, answered as a real org answers them (fast, no sf binary). */
describe('what the sf CLI asks an org', () => {
  let emu: RunningEmulator;
  let token: string;

  beforeAll(async () => {
    emu = await withEmulator();
    token = emu.issueTokens('integration').accessToken;
  });
  afterAll(async () => {
    await emu.close();
  });

  it('serves paths with doubled slashes (an instance URL ending in / joined to /services/…)', async () => {
    const versions = await call(emu, token, 'GET', '//services/data');
    expect(versions.status).toBe(200);
    const q = encodeURIComponent('SELECT Id FROM Contact');
    const query = await call(emu, token, 'GET', `//services/data/v65.0//query?q=${q}`);
    expect(query.status).toBe(200);
    expect(query.body).toMatchObject({ done: true, totalSize: 0 });
  });

  it('lists every API version from 31.0 to the current one, and serves the oldest', async () => {
    const { body } = await call(emu, '', 'GET', '/services/data');
    const list = body as Array<{ version: string; url: string; label: string }>;
    expect(list[0]).toEqual({ version: '31.0', url: '/services/data/v31.0', label: "Summer '14" });
    expect(list.map((v) => v.version)).toHaveLength(65 - 31 + 1);
    expect(list.find((v) => v.version === '62.0')?.label).toBe("Winter '25");
    expect(list.at(-1)).toEqual({ version: '65.0', url: '/services/data/v65.0', label: "Winter '26" });
    expect((await call(emu, token, 'GET', '/services/data/v31.0/limits')).status).toBe(200);
    expect((await call(emu, token, 'GET', '/services/data/v30.0/limits')).status).toBe(404);
  });

  it("answers the Organization query sf org display sends, and the version's identity URL", async () => {
    const soql =
      'SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization';
    const { status, body } = await call(emu, token, 'GET', `/services/data/v50.0/query?q=${encodeURIComponent(soql)}`);
    expect(status).toBe(200);
    expect(body.records).toEqual([
      {
        attributes: expect.objectContaining({ type: 'Organization' }) as unknown,
        Name: 'Tightknit Emulated Org',
        InstanceName: 'EMU1',
        IsSandbox: false,
        TrialExpirationDate: null,
        NamespacePrefix: null,
        OrganizationType: 'Developer Edition',
      },
    ]);
    const resources = await call(emu, token, 'GET', '/services/data/v65.0/');
    expect(resources.body.identity).toBe(
      `${emu.loginUrl}/id/${String(body.records[0].attributes.url).split('/').pop()}/${emu.users.integration.id}`,
    );
  });

  it.each([
    ['ScratchOrgInfo', '/query', 'SELECT Id FROM ScratchOrgInfo limit 1', 16],
    ['SandboxProcess', '/tooling/query', "SELECT Id FROM SandboxProcess WHERE SandboxName = 'x'", 16],
  ])('answers INVALID_TYPE 400 for %s, an object this org lacks', async (object, path, soql, column) => {
    const r = await call(emu, token, 'GET', `/services/data/v65.0${path}?q=${encodeURIComponent(soql)}`);
    expect(r.status).toBe(400);
    expect(r.body).toEqual([
      {
        errorCode: 'INVALID_TYPE',
        message:
          `\n${soql}\n${' '.repeat(column - 1)}^\nERROR at Row:1:Column:${column}\n` +
          `sObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      },
    ]);
  });

  it('describes the columns of a query (?columns=true, read by sf data query before it prints rows)', async () => {
    const soql =
      'SELECT Id, Name, tightknit__Community__r.Name, tightknit__Community__r.tightknit__Tightknit_Id__c FROM tightknit__Member__c';
    const { status, body } = await call(
      emu,
      token,
      'GET',
      `/services/data/v65.0/query?q=${encodeURIComponent(soql)}&columns=true`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      entityName: 'tightknit__Member__c',
      idSelected: true,
      keyPrefix: expect.stringMatching(/^a0/) as unknown,
    });
    const cols = body.columnMetadata as Array<{
      columnName: string;
      foreignKeyName: string | null;
      joinColumns: Array<{ columnName: string }>;
      apexType: string | null;
      textType: boolean;
    }>;
    expect(cols.map((c) => c.columnName)).toEqual(['Id', 'Name', 'tightknit__Community__r']);
    expect(cols[0]).toMatchObject({ apexType: 'Id', textType: false, aggregate: false, joinColumns: [] });
    expect(cols[1]).toMatchObject({ apexType: 'String', textType: true, foreignKeyName: null });
    expect(cols[2]).toMatchObject({ foreignKeyName: 'tightknit__Community__c', apexType: null });
    expect(cols[2].joinColumns.map((c) => c.columnName)).toEqual(['Name', 'tightknit__Tightknit_Id__c']);
    const count = await call(
      emu,
      token,
      'GET',
      `/services/data/v65.0/query?q=${encodeURIComponent('SELECT COUNT() FROM Contact')}&columns=true`,
    );
    expect(count.body.columnMetadata).toEqual([]);
  });

  it("answers sf org display user's semi-join for the user's profile, and anti-joins", async () => {
    const admin = emu.issueTokens('admin').accessToken;
    const q = async (soql: string) =>
      call(emu, admin, 'GET', `/services/data/v65.0/query?q=${encodeURIComponent(soql)}`);
    const user = emu.users.admin.username;
    const profile = await q(
      `SELECT name FROM Profile WHERE Id IN (SELECT ProfileId FROM User WHERE username='${user}')`,
    );
    expect(profile.status).toBe(200);
    expect(profile.body.records.map((r: { Name: string }) => r.Name)).toEqual(['System Administrator']);

    const [account] = emu.org.insert('Account', [{ Name: 'With contacts' }, { Name: 'Without' }]);
    emu.org.insert('Contact', [{ LastName: 'Child', AccountId: account }]);
    const withContacts = await q('SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)');
    expect(withContacts.body.records.map((r: { Name: string }) => r.Name)).toEqual(['With contacts']);
    const without = await q('SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact)');
    expect(without.body.records.map((r: { Name: string }) => r.Name)).toEqual(['Without']);

    const bad = await q('SELECT Name FROM Account WHERE Id IN (SELECT LastName FROM Contact)');
    expect(bad.status).toBe(400);
    expect(bad.body[0].errorCode).toBe('MALFORMED_QUERY');
  });

  it('trades an access token for a one-time frontdoor URL (sf org open)', async () => {
    expect((await call(emu, 'not-a-token', 'GET', '/services/oauth2/singleaccess')).status).toBe(403);
    const { status, body } = await call(
      emu,
      token,
      'GET',
      '/services/oauth2/singleaccess?redirect_uri=%2Flightning%2Fpage%2Fhome',
    );
    expect(status).toBe(200);
    const frontdoor = new URL(body.frontdoor_uri as string);
    expect(frontdoor.pathname).toBe('/secur/frontdoor.jsp');
    expect(frontdoor.searchParams.get('startURL')).toBe('/lightning/page/home');
    const page = await fetch(frontdoor);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Signed in as ${emu.users.integration.username}`);
    expect((await fetch(frontdoor)).status).toBe(400);
  });
});
