import { RunningEmulator, startEmulator } from '../index';
import { call } from './helpers/emulator';

// Expectations from the REST API Developer Guide ("Execute a SOQL Query", "Retrieve the Remaining
// SOQL Query Results", "Versions", "Limits") and the SOQL and SOSL Reference (comparison operators,
// LIKE wildcards, date literals, ORDER BY ... NULLS, COUNT()).
describe('REST query', () => {
  let emu: RunningEmulator;
  let token: string;
  const q = (soql: string, headers: Record<string, string> = {}) =>
    call(emu, token, 'GET', `/services/data/v65.0/query?q=${encodeURIComponent(soql)}`, undefined, headers);

  beforeAll(async () => {
    emu = await startEmulator();
    token = emu.issueTokens('admin').accessToken;
    const [acme] = emu.org.insert('Account', [{ Name: 'Acme' }]);
    const today = new Date().toISOString().slice(0, 10);
    emu.org.insert('Contact', [
      {
        FirstName: 'Ada',
        LastName: 'Lovelace',
        Email: 'ada@acme.test',
        AccountId: acme,
        LastModifiedDate: `${today}T10:00:00.000Z`,
      },
      {
        FirstName: 'Bob',
        LastName: 'Byte',
        Email: 'BOB@acme.test',
        AccountId: acme,
        LastModifiedDate: '2020-01-01T00:00:00.000Z',
      },
      { FirstName: 'Cy', LastName: 'Cipher', Email: null, LastModifiedDate: '2021-06-01T00:00:00.000Z' },
    ]);
    emu.org.insert(
      'Lead',
      Array.from({ length: 450 }, (_, i) => ({ LastName: `Lead ${String(i).padStart(3, '0')}`, Company: 'Co' })),
    );
  });
  afterAll(async () => {
    await emu.close();
  });

  it('lists versions without a session', async () => {
    const res = await fetch(`${emu.instanceUrl}/services/data`);
    const body = (await res.json()) as Array<{ version: string; url: string }>;
    expect(body[body.length - 1]).toEqual({ label: "Winter '26", url: '/services/data/v65.0', version: '65.0' });
  });

  it('returns records with attributes and nested relationship objects', async () => {
    const res = await q("SELECT Id, Name, Account.Name FROM Contact WHERE Email = 'ada@acme.test'");
    expect(res.status).toBe(200);
    expect(res.body.totalSize).toBe(1);
    expect(res.body.done).toBe(true);
    const [rec] = res.body.records;
    expect(rec.attributes).toEqual({ type: 'Contact', url: `/services/data/v65.0/sobjects/Contact/${rec.Id}` });
    expect(rec.Name).toBe('Ada Lovelace');
    expect(rec.Account).toEqual({
      attributes: { type: 'Account', url: expect.stringContaining('/sobjects/Account/') },
      Name: 'Acme',
    });
    const noAccount = await q("SELECT Account.Name FROM Contact WHERE LastName = 'Cipher'");
    expect(noAccount.body.records[0].Account).toBeNull();
  });

  it('compares strings case-insensitively and supports IN, LIKE, !=, AND/OR and null', async () => {
    const names = async (soql: string): Promise<string[]> =>
      ((await q(soql)).body.records as Array<{ LastName: string }>).map((r) => r.LastName).sort();
    expect(await names("SELECT LastName FROM Contact WHERE Email IN ('bob@acme.test', 'x@y.z')")).toEqual(['Byte']);
    expect(await names("SELECT LastName FROM Contact WHERE Email LIKE '%@ACME.test'")).toEqual(['Byte', 'Lovelace']);
    expect(
      await names("SELECT LastName FROM Contact WHERE Email != null AND (FirstName = 'Ada' OR FirstName = 'Cy')"),
    ).toEqual(['Lovelace']);
    expect(await names('SELECT LastName FROM Contact WHERE Email = null')).toEqual(['Cipher']);
    expect(await names("SELECT LastName FROM Contact WHERE NOT LastName LIKE 'B_te'")).toEqual(['Cipher', 'Lovelace']);
  });

  it('filters with date-time and relative date literals, orders and limits', async () => {
    const recent = await q('SELECT LastName FROM Contact WHERE LastModifiedDate = LAST_N_DAYS:7');
    expect(recent.body.records.map((r: { LastName: string }) => r.LastName)).toEqual(['Lovelace']);
    const after = await q(
      'SELECT LastName FROM Contact WHERE LastModifiedDate > 2020-06-01T00:00:00Z ORDER BY LastModifiedDate DESC',
    );
    expect(after.body.records.map((r: { LastName: string }) => r.LastName)).toEqual(['Lovelace', 'Cipher']);
    const ordered = await q('SELECT LastName FROM Contact ORDER BY Email ASC NULLS LAST LIMIT 2');
    expect(ordered.body.records.map((r: { LastName: string }) => r.LastName)).toEqual(['Lovelace', 'Byte']);
  });

  it('counts with COUNT()', async () => {
    const res = await q("SELECT COUNT() FROM Lead WHERE Company = 'Co'");
    expect(res.body).toEqual({ totalSize: 450, done: true, records: [] });
  });

  it('pages with nextRecordsUrl and honours Sforce-Query-Options batchSize', async () => {
    const first = await q('SELECT Id, LastName FROM Lead ORDER BY LastName', {
      'Sforce-Query-Options': 'batchSize=200',
    });
    expect(first.body).toMatchObject({ totalSize: 450, done: false });
    expect(first.body.records).toHaveLength(200);
    expect(first.body.nextRecordsUrl).toMatch(/^\/services\/data\/v65\.0\/query\/01g\w+-200$/);
    const second = await call(emu, token, 'GET', first.body.nextRecordsUrl, undefined, {
      'Sforce-Query-Options': 'batchSize=200',
    });
    const third = await call(emu, token, 'GET', second.body.nextRecordsUrl, undefined, {
      'Sforce-Query-Options': 'batchSize=200',
    });
    expect(third.body.done).toBe(true);
    expect(third.body.records).toHaveLength(50);
    expect(third.body.records[49].LastName).toBe('Lead 449');
  });

  it('answers bad queries with MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE', async () => {
    const malformed = await q('SELECT FROM Contact');
    expect(malformed.status).toBe(400);
    expect(malformed.body[0].errorCode).toBe('MALFORMED_QUERY');
    const field = await q('SELECT Nope__c FROM Contact');
    expect(field.body[0].errorCode).toBe('INVALID_FIELD');
    expect(field.body[0].message).toContain("No such column 'Nope__c' on entity 'Contact'");
    expect(field.body[0].message).toContain('ERROR at Row:1:Column:8');
    const type = await q('SELECT Id FROM Nope__c');
    expect(type.body[0]).toMatchObject({ errorCode: 'INVALID_TYPE' });
    expect(type.body[0].message).toContain("sObject type 'Nope__c' is not supported");
  });

  it('answers the connection-test queries on User, PermissionSetAssignment and the Tooling API', async () => {
    const users = await q(
      `SELECT Id, Username, IsActive, UserType, Profile.UserLicense.Name FROM User WHERE Username = '${emu.users.integration.username}'`,
    );
    expect(users.body.records[0].Profile.UserLicense.Name).toBe('Salesforce Integration');
    const psa = await q(
      `SELECT AssigneeId, PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '${emu.users.integration.id}' AND PermissionSet.IsOwnedByProfile = false`,
    );
    expect(psa.body.records.map((r: { PermissionSet: { Name: string } }) => r.PermissionSet.Name).sort()).toEqual([
      'Sync_User_Extras',
      'Tightknit_Integration_User',
    ]);
    const tooling = await call(
      emu,
      token,
      'GET',
      `/services/data/v65.0/tooling/query?q=${encodeURIComponent('SELECT SubscriberPackage.Name, SubscriberPackage.NamespacePrefix, SubscriberPackageVersion.MajorVersion, SubscriberPackageVersion.MinorVersion, SubscriberPackageVersion.PatchVersion FROM InstalledSubscriberPackage')}`,
    );
    expect(tooling.body.records[0]).toMatchObject({
      SubscriberPackage: { Name: 'Tightknit Analytics', NamespacePrefix: 'tightknit' },
      SubscriberPackageVersion: { MajorVersion: 0, MinorVersion: 1, PatchVersion: 0 },
    });
  });

  it('answers ObjectPermissions and FieldPermissions from the permission set files, namespaced', async () => {
    const sets = await q("SELECT Id FROM PermissionSet WHERE Name = 'Tightknit_Integration_User'");
    const id = sets.body.records[0].Id as string;
    const objects = await q(
      `SELECT SobjectType, PermissionsModifyAllRecords FROM ObjectPermissions WHERE ParentId IN ('${id}') AND SobjectType IN ('tightknit__Member__c', 'Contact')`,
    );
    expect(
      objects.body.records.map((r: { SobjectType: string; PermissionsModifyAllRecords: boolean }) => [
        r.SobjectType,
        r.PermissionsModifyAllRecords,
      ]),
    ).toEqual([['tightknit__Member__c', true]]);
    const fls = await q(
      `SELECT Field, PermissionsEdit FROM FieldPermissions WHERE ParentId = '${id}' AND Field = 'tightknit__Member__c.tightknit__Contact__c'`,
    );
    expect(fls.body.records[0]).toMatchObject({ PermissionsEdit: true });
    const admin = await q(
      `SELECT PermissionSet.PermissionsModifyAllData FROM PermissionSetAssignment WHERE AssigneeId = '${emu.users.admin.id}' AND PermissionSet.IsOwnedByProfile = true`,
    );
    expect(admin.body.records[0].PermissionSet.PermissionsModifyAllData).toBe(true);
  });

  it('reports limits and counts API calls', async () => {
    emu.org.resetApiCallCount();
    const res = await call(emu, token, 'GET', '/services/data/v65.0/limits');
    expect(res.body.DailyApiRequests.Max).toBe(15000);
    expect(res.body.DailyApiRequests.Remaining).toBeLessThan(15000);
    expect(emu.org.apiCallCount()).toBe(1);
    expect(res.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
  });
});

describe('an org without the package', () => {
  it('has no tightknit objects and no installed package row', async () => {
    const emu = await startEmulator({ packageInstalled: false });
    try {
      const token = emu.issueTokens('admin').accessToken;
      const tooling = await call(
        emu,
        token,
        'GET',
        `/services/data/v65.0/tooling/query?q=${encodeURIComponent('SELECT Id FROM InstalledSubscriberPackage')}`,
      );
      expect(tooling.body).toEqual({ totalSize: 0, done: true, records: [] });
      const member = await call(
        emu,
        token,
        'GET',
        `/services/data/v65.0/query?q=${encodeURIComponent('SELECT Id FROM tightknit__Member__c')}`,
      );
      expect(member.body[0].errorCode).toBe('INVALID_TYPE');
    } finally {
      await emu.close();
    }
  });
});
