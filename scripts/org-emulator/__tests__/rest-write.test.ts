import { RunningEmulator, startEmulator } from '../index';
import { call } from './helpers/emulator';
import { permissionSetCopy, withoutFls } from './helpers/permission-sets';

// Expectations from the REST API Developer Guide: "sObject Describe", "Describe Global",
// "sObject Rows", "sObject Rows by External ID", "sObject Collections" (allOrNone and
// ALL_OR_NONE_OPERATION_ROLLED_BACK), "Status Codes and Error Responses"; error codes from the SOAP
// API StatusCode list (REQUIRED_FIELD_MISSING, STRING_TOO_LONG, INVALID_FIELD_FOR_INSERT_UPDATE).
const v = '/services/data/v65.0';

describe('describe honours the user', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ grants: { leadRead: false, contactCreate: false } });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('lists only objects the integration user can read, with their permissions', async () => {
    const token = emu.issueTokens('integration').accessToken;
    const res = await call(emu, token, 'GET', `${v}/sobjects`);
    const byName = new Map<string, { createable: boolean; queryable: boolean }>(
      res.body.sobjects.map((o: { name: string }) => [o.name, o]),
    );
    expect(byName.get('tightknit__Member__c')).toMatchObject({ createable: true, queryable: true });
    expect(byName.get('Contact')).toMatchObject({ createable: false, queryable: true });
    expect(byName.has('Lead')).toBe(false);
    expect(byName.has('Opportunity')).toBe(false);
    const lead = await call(emu, token, 'GET', `${v}/sobjects/Lead/describe`);
    expect(lead.status).toBe(404);
    expect(lead.body).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
  });

  it('describes namespaced fields with types, lengths, lookups and restricted picklists', async () => {
    const token = emu.issueTokens('integration').accessToken;
    const res = await call(emu, token, 'GET', `${v}/sobjects/tightknit__Member__c/describe`);
    const fields = new Map<string, Record<string, unknown>>(res.body.fields.map((f: { name: string }) => [f.name, f]));
    expect(fields.get('tightknit__Contact__c')).toMatchObject({
      type: 'reference',
      referenceTo: ['Contact'],
      relationshipName: 'tightknit__Contact__r',
      createable: true,
      updateable: true,
    });
    expect(fields.get('tightknit__Tightknit_Id__c')).toMatchObject({
      type: 'string',
      length: 255,
      externalId: true,
      unique: true,
      caseSensitive: true,
    });
    expect(fields.get('tightknit__Status__c')).toMatchObject({ type: 'picklist', restrictedPicklist: true });
    expect(fields.get('tightknit__Community__c')).toMatchObject({
      nillable: false,
      relationshipName: 'tightknit__Community__r',
    });
    expect(fields.get('tightknit__Email__c')).toMatchObject({ type: 'email', length: 80 });
  });

  it('drops a field without FLS from describe and makes it unknown to SOQL', async () => {
    const copy = permissionSetCopy((_name, xml) => withoutFls(xml, 'Member__c.Contact__c'));
    const noFls = await startEmulator({ permissionSetsDir: copy.dir });
    try {
      const token = noFls.issueTokens('integration').accessToken;
      const res = await call(noFls, token, 'GET', `${v}/sobjects/tightknit__Member__c/describe`);
      expect(res.body.fields.map((f: { name: string }) => f.name)).not.toContain('tightknit__Contact__c');
      const q = await call(
        noFls,
        token,
        'GET',
        `${v}/query?q=${encodeURIComponent('SELECT tightknit__Contact__c FROM tightknit__Member__c')}`,
      );
      expect(q.body[0].errorCode).toBe('INVALID_FIELD');
      const admin = noFls.issueTokens('admin').accessToken;
      const adminDescribe = await call(noFls, admin, 'GET', `${v}/sobjects/tightknit__Member__c/describe`);
      expect(adminDescribe.body.fields.map((f: { name: string }) => f.name)).toContain('tightknit__Contact__c');
    } finally {
      await noFls.close();
      copy.remove();
    }
  });
});

describe('sObject rows and collections', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startEmulator();
    token = emu.issueTokens('integration').accessToken;
  });
  afterAll(async () => {
    await emu.close();
  });

  it('creates, reads, updates and deletes a Contact', async () => {
    const created = await call(emu, token, 'POST', `${v}/sobjects/Contact`, {
      LastName: 'Hopper',
      Email: 'grace@navy.test',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^003\w{15}$/), success: true, errors: [] });
    const id = created.body.id as string;
    expect((await call(emu, token, 'PATCH', `${v}/sobjects/Contact/${id}`, { FirstName: 'Grace' })).status).toBe(204);
    const read = await call(emu, token, 'GET', `${v}/sobjects/Contact/${id}?fields=Name,Email`);
    expect(read.body).toMatchObject({ Name: 'Grace Hopper', Email: 'grace@navy.test' });
    expect(read.body.OwnerId).toBeUndefined();
    const admin = emu.issueTokens('admin').accessToken;
    expect((await call(emu, admin, 'DELETE', `${v}/sobjects/Contact/${id}`)).status).toBe(204);
    expect((await call(emu, token, 'GET', `${v}/sobjects/Contact/${id}`)).status).toBe(404);
  });

  it('rejects invalid records with Salesforce error codes', async () => {
    const missing = await call(emu, token, 'POST', `${v}/sobjects/Contact`, { FirstName: 'No last name' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual([
      { message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] },
    ]);
    const long = await call(emu, token, 'POST', `${v}/sobjects/Contact`, { LastName: 'x'.repeat(81) });
    expect(long.body[0]).toMatchObject({ errorCode: 'STRING_TOO_LONG', fields: ['LastName'] });
    const readOnly = await call(emu, token, 'POST', `${v}/sobjects/Contact`, {
      LastName: 'y',
      CreatedDate: '2020-01-01T00:00:00Z',
    });
    expect(readOnly.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['CreatedDate'] });
    const unknown = await call(emu, token, 'POST', `${v}/sobjects/Contact`, { LastName: 'y', Nope__c: 1 });
    expect(unknown.body[0]).toMatchObject({ errorCode: 'INVALID_FIELD' });
  });

  it('upserts by external id: 201 created, then 200 updated', async () => {
    const path = `${v}/sobjects/tightknit__Community__c/tightknit__Tightknit_Id__c/slack:T42`;
    const first = await call(emu, token, 'PATCH', path, { Name: 'Answer' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ success: true, created: true });
    const second = await call(emu, token, 'PATCH', path, { Name: 'Answer 2' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, created: false });
  });

  it('creates and upserts collections; allOrNone rolls everything back', async () => {
    const mixed = await call(emu, token, 'POST', `${v}/composite/sobjects`, {
      allOrNone: false,
      records: [
        { attributes: { type: 'Contact' }, LastName: 'One' },
        { attributes: { type: 'Contact' }, FirstName: 'No last name' },
      ],
    });
    expect(mixed.body[0]).toMatchObject({ success: true, errors: [] });
    expect(mixed.body[1]).toEqual({
      id: null,
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [LastName]',
          fields: ['LastName'],
        },
      ],
    });
    const before = emu.org.records('Contact').length;
    const all = await call(emu, token, 'POST', `${v}/composite/sobjects`, {
      allOrNone: true,
      records: [
        { attributes: { type: 'Contact' }, LastName: 'Two' },
        { attributes: { type: 'Contact' }, Email: 'not an email', LastName: 'Three' },
      ],
    });
    expect(all.body[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(all.body[1].errors[0].statusCode).toBe('INVALID_EMAIL_ADDRESS');
    expect(emu.org.records('Contact')).toHaveLength(before);
    const upsert = await call(
      emu,
      token,
      'PATCH',
      `${v}/composite/sobjects/tightknit__Community__c/tightknit__Tightknit_Id__c`,
      {
        allOrNone: false,
        records: [
          { attributes: { type: 'tightknit__Community__c' }, tightknit__Tightknit_Id__c: 'slack:T42', Name: 'Again' },
          { attributes: { type: 'tightknit__Community__c' }, tightknit__Tightknit_Id__c: 'slack:T43', Name: 'New' },
        ],
      },
    );
    expect(upsert.body.map((r: { created: boolean }) => r.created)).toEqual([false, true]);
  });
});
