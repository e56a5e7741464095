import { RunningEmulator, startEmulator } from '../index';
import { runIngest, lines } from './helpers/bulk';
import { call } from './helpers/emulator';

// Expectations from the Bulk API 2.0 Developer Guide: "Create a Job", "Upload Job Data", "Close or
// Abort a Job", "Get Job Info", "Get Job Successful/Failed Record Results", "Get Job Unprocessed
// Record Results", "Delete a Job", "Prepare CSV Files" (empty = unchanged, #N/A = null, delimiters,
// line endings, relationship columns), and sf__Error texts seen in real job results.
const v = '/services/data/v65.0';
const upsertMembers = {
  object: 'tightknit__Member__c',
  operation: 'upsert',
  externalIdFieldName: 'tightknit__Tightknit_Id__c',
};

describe('Bulk API 2.0 ingest', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startEmulator();
    token = emu.issueTokens('integration').accessToken;
    emu.org.insert('tightknit__Community__c', [{ Name: 'Acme', tightknit__Tightknit_Id__c: 'slack:T1' }]);
    emu.org.insert('Contact', [{ LastName: 'Lovelace', Email: 'ada@acme.test' }]);
  });
  afterAll(async () => {
    await emu.close();
  });

  it('creates a job with the documented job info and state machine', async () => {
    const created = await call(emu, token, 'POST', `${v}/jobs/ingest`, { ...upsertMembers, lineEnding: 'LF' });
    expect(created.body).toEqual({
      id: expect.stringMatching(/^750\w{15}$/),
      operation: 'upsert',
      object: 'tightknit__Member__c',
      createdById: emu.users.integration.id,
      createdDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      systemModstamp: expect.any(String),
      state: 'Open',
      externalIdFieldName: 'tightknit__Tightknit_Id__c',
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: 65,
      contentUrl: `services/data/v65.0/jobs/ingest/${created.body.id}/batches`,
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    });
    const id = created.body.id as string;
    const early = await call(emu, token, 'GET', `${v}/jobs/ingest/${id}/successfulResults`);
    expect(early.status).toBe(409);
    expect((await call(emu, token, 'PUT', `${v}/jobs/ingest/${id}/batches`, 'Name\nx\n')).status).toBe(201);
    const twice = await call(emu, token, 'PUT', `${v}/jobs/ingest/${id}/batches`, 'Name\nx\n');
    expect(twice.body[0].message).toContain('Found multiple contents for job');
    const aborted = await call(emu, token, 'PATCH', `${v}/jobs/ingest/${id}`, { state: 'Aborted' });
    expect(aborted.body.state).toBe('Aborted');
    expect((await call(emu, token, 'PATCH', `${v}/jobs/ingest/${id}`, { state: 'UploadComplete' })).status).toBe(409);
    const list = await call(emu, token, 'GET', `${v}/jobs/ingest`);
    expect(list.body.records.map((j: { id: string }) => j.id)).toContain(id);
    expect((await call(emu, token, 'DELETE', `${v}/jobs/ingest/${id}`)).status).toBe(204);
    expect((await call(emu, token, 'GET', `${v}/jobs/ingest/${id}`)).status).toBe(404);
  });

  it('upserts with relationship columns and writes sf__Id / sf__Created results', async () => {
    const run = await runIngest(
      emu,
      token,
      upsertMembers,
      'Name,tightknit__Tightknit_Id__c,tightknit__Community__r.tightknit__Tightknit_Id__c,tightknit__Contact__r.Email\nAda,slack:T1:U1,slack:T1,ada@acme.test\n',
    );
    expect(run.info).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: 1,
      numberRecordsFailed: 0,
      jobType: 'V2Ingest',
    });
    const [header, row] = run.success.split('\n');
    expect(header).toBe(
      '"sf__Id","sf__Created","Name","tightknit__Tightknit_Id__c","tightknit__Community__r.tightknit__Tightknit_Id__c","tightknit__Contact__r.Email"',
    );
    expect(row).toMatch(/^"a0\w{16}","true","Ada","slack:T1:U1","slack:T1","ada@acme.test"$/);
    const [member] = emu.org.records('tightknit__Member__c');
    expect(member.tightknit__Contact__c).toBe(emu.org.records('Contact')[0].Id);
    expect(member.OwnerId).toBe(emu.users.integration.id);
  });

  it('leaves a value unchanged for an empty cell and clears it for #N/A', async () => {
    await runIngest(
      emu,
      token,
      upsertMembers,
      'tightknit__Tightknit_Id__c,tightknit__Title__c,tightknit__Time_Zone__c\nslack:T1:U1,CTO,UTC\n',
    );
    const run = await runIngest(
      emu,
      token,
      upsertMembers,
      'tightknit__Tightknit_Id__c,tightknit__Title__c,tightknit__Time_Zone__c\nslack:T1:U1,,#N/A\n',
    );
    expect(lines(run.success)[0]).toContain('"false"');
    const member = emu.org.records('tightknit__Member__c').find((m) => m.tightknit__Tightknit_Id__c === 'slack:T1:U1');
    expect(member).toMatchObject({ tightknit__Title__c: 'CTO', tightknit__Time_Zone__c: null, Name: 'Ada' });
  });

  it('reports row errors in CODE:message:fields form', async () => {
    const csv = [
      'tightknit__Tightknit_Id__c,Name,tightknit__Community__r.tightknit__Tightknit_Id__c,tightknit__Joined_At__c,tightknit__Activity_Count__c,tightknit__Email__c,tightknit__First_Name__c',
      'slack:T1:E1,Long,slack:T1,,,,' + 'x'.repeat(41),
      'slack:T1:E2,Date,slack:T1,2024-13-01T00:00:00Z,,,',
      'slack:T1:E3,Number,slack:T1,,many,,',
      'slack:T1:E4,Mail,slack:T1,,,not-an-email,',
      'slack:T1:E5,NoCommunity,,,,,',
      'slack:T1:E6,Dup,slack:T1,,,,',
      'slack:T1:E6,Dup,slack:T1,,,,',
      ',Blank,slack:T1,,,,',
      'slack:T1:E7,Fine,slack:T1,2024-02-29T23:59:59.000+02:00,12,ok@x.io,',
    ].join('\n');
    const run = await runIngest(emu, token, upsertMembers, csv);
    expect(run.info).toMatchObject({ numberRecordsProcessed: 9, numberRecordsFailed: 8 });
    const errors = lines(run.failed).map((l) => l.split('","')[1]);
    expect(errors).toEqual([
      `STRING_TOO_LONG:First Name: data value too large: ${'x'.repeat(41)} (max length=40):tightknit__First_Name__c`,
      "INVALID_FIELD:Failed to deserialize field at col 3. Due to, '2024-13-01T00:00:00Z' is not a valid value for the type xsd:dateTime:tightknit__Joined_At__c",
      "INVALID_FIELD:Failed to deserialize field at col 4. Due to, 'many' is not a valid value for the type xsd:double:tightknit__Activity_Count__c",
      'INVALID_EMAIL_ADDRESS:Email: invalid email address: not-an-email:tightknit__Email__c',
      'REQUIRED_FIELD_MISSING:Required fields are missing: [tightknit__Community__c]:tightknit__Community__c',
      'DUPLICATE_VALUE:Duplicate external id specified: slack:T1:E6:--',
      'DUPLICATE_VALUE:Duplicate external id specified: slack:T1:E6:--',
      'MISSING_ARGUMENT:tightknit__Tightknit_Id__c not specified:--',
    ]);
    const fine = emu.org.records('tightknit__Member__c').find((m) => m.tightknit__Tightknit_Id__c === 'slack:T1:E7');
    expect(fine?.tightknit__Joined_At__c).toBe('2024-02-29T21:59:59.000+0000');
  });

  it('rejects a duplicate of an existing unique value on insert', async () => {
    const run = await runIngest(
      emu,
      token,
      { object: 'tightknit__Community__c', operation: 'insert' },
      'Name,tightknit__Tightknit_Id__c\nAgain,slack:T1\n',
    );
    expect(lines(run.failed)[0]).toMatch(
      /"DUPLICATE_VALUE:duplicate value found: tightknit__Tightknit_Id__c duplicates value on record with id: a0\w{16}:--"/,
    );
  });

  it('reads TAB-delimited CRLF files and answers in the same dialect', async () => {
    const run = await runIngest(
      emu,
      token,
      { ...upsertMembers, columnDelimiter: 'TAB', lineEnding: 'CRLF' },
      'tightknit__Tightknit_Id__c\tName\ttightknit__Community__r.tightknit__Tightknit_Id__c\r\nslack:T1:U9\t"Tab, Person"\tslack:T1\r\n',
    );
    expect(run.success).toMatch(
      /^"sf__Id"\t"sf__Created"\t"tightknit__Tightknit_Id__c"\t"Name"\t.*\r\n".*"\t"true"\t"slack:T1:U9"\t"Tab, Person"\t"slack:T1"\r\n$/s,
    );
  });

  it('fails the job when the data line ending does not match the job', async () => {
    const run = await runIngest(
      emu,
      token,
      { ...upsertMembers, lineEnding: 'LF' },
      'Name,tightknit__Tightknit_Id__c\r\nX,slack:T1:U10\r\n',
    );
    expect(run.info).toMatchObject({
      state: 'Failed',
      errorMessage: 'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF',
    });
    expect(lines(run.unprocessed)).toEqual(['"X","slack:T1:U10"']);
  });

  it('fails the whole job for an unknown column, naming only the first', async () => {
    const run = await runIngest(
      emu,
      token,
      upsertMembers,
      'tightknit__Tightknit_Id__c,Bad1__c,Bad2__c\nslack:T1:U11,1,2\n',
    );
    expect(run.info).toMatchObject({
      state: 'Failed',
      errorMessage: 'InvalidBatch : Field name not found : Bad1__c',
      numberRecordsProcessed: 0,
    });
  });

  it('updates and deletes by Id', async () => {
    const [id] = emu.org.insert('tightknit__Community__c', [{ Name: 'Temp', tightknit__Tightknit_Id__c: 'slack:TMP' }]);
    const upd = await runIngest(
      emu,
      token,
      { object: 'tightknit__Community__c', operation: 'update' },
      `Id,Name\n${id},Renamed\n,NoId\n`,
    );
    expect(lines(upd.failed)[0]).toContain('MISSING_ARGUMENT:Id not specified in an update call:--');
    expect(emu.org.records('tightknit__Community__c').find((c) => c.Id === id)?.Name).toBe('Renamed');
    const del = await runIngest(emu, token, { object: 'tightknit__Community__c', operation: 'delete' }, `Id\n${id}\n`);
    expect(lines(del.success)[0]).toBe(`"${id}","false","${id}"`);
    expect(emu.org.records('tightknit__Community__c').some((c) => c.Id === id)).toBe(false);
  });

  it('hard-deletes as the admin only (Bulk API Hard Delete permission)', async () => {
    const denied = await call(emu, token, 'POST', `${v}/jobs/ingest`, { object: 'Contact', operation: 'hardDelete' });
    expect(denied.status).toBe(400);
    const [id] = emu.org.insert('Contact', [{ LastName: 'Gone' }]);
    const admin = emu.issueTokens('admin').accessToken;
    const run = await runIngest(emu, admin, { object: 'Contact', operation: 'hardDelete' }, `Id\n${id}\n`);
    expect(run.info).toMatchObject({ state: 'JobComplete', numberRecordsFailed: 0 });
    expect(emu.org.records('Contact').some((c) => c.Id === id)).toBe(false);
  });

  it('refuses to delete a community that members still reference (delete constraint Restrict)', async () => {
    const [community] = emu.org
      .records('tightknit__Community__c')
      .filter((c) => c.tightknit__Tightknit_Id__c === 'slack:T1');
    const del = await runIngest(
      emu,
      token,
      { object: 'tightknit__Community__c', operation: 'delete' },
      `Id\n${String(community.Id)}\n`,
    );
    expect(lines(del.failed)[0]).toContain('DELETE_FAILED:');
  });

  it('rejects uploads over the cap and bad job definitions', async () => {
    const small = await startEmulator({ maxUploadBytes: 100 });
    try {
      const t = small.issueTokens('integration').accessToken;
      const created = await call(small, t, 'POST', `${v}/jobs/ingest`, upsertMembers);
      const big = await call(
        small,
        t,
        'PUT',
        `${v}/jobs/ingest/${created.body.id}/batches`,
        'Name\n' + 'x\n'.repeat(100),
      );
      expect(big.status).toBe(413);
      const noKey = await call(small, t, 'POST', `${v}/jobs/ingest`, {
        object: 'tightknit__Member__c',
        operation: 'upsert',
      });
      expect(noKey.body[0].errorCode).toBe('INVALIDJOB');
      const badObject = await call(small, t, 'POST', `${v}/jobs/ingest`, { object: 'Nope__c', operation: 'insert' });
      expect(badObject.status).toBe(404);
    } finally {
      await small.close();
    }
  });
});
