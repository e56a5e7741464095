import { RunningEmulator, startEmulator } from '../index';
import { connectionFor } from './helpers/emulator';

// The sync's way of talking to an org (toolchain.md "Talking to a local emulator"): jsforce's
// Connection with an instance URL and access token, then query and the Bulk API 2.0 job sequence.
describe('jsforce against the emulator', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  it('upserts communities and members with external-id lookups through bulk2 and reads the results', async () => {
    const conn = connectionFor(emu);
    conn.bulk2.pollInterval = 20;
    const communities = conn.bulk2.createJob({
      object: 'tightknit__Community__c',
      operation: 'upsert',
      externalIdFieldName: 'tightknit__Tightknit_Id__c',
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
    });
    await communities.open();
    await communities.uploadData(
      'Name,tightknit__Tightknit_Id__c,tightknit__Platform__c\nAcme Community,slack:T1,Slack\n',
    );
    await communities.close();
    await communities.poll(20, 10000);
    const okCommunities = await communities.getSuccessfulResults();
    expect(okCommunities).toHaveLength(1);
    expect(okCommunities[0].sf__Created).toBe('true');
    expect(okCommunities[0].sf__Id).toMatch(/^a0\w{16}$/);

    const members = conn.bulk2.createJob({
      object: 'tightknit__Member__c',
      operation: 'upsert',
      externalIdFieldName: 'tightknit__Tightknit_Id__c',
    });
    await members.open();
    await members.uploadData(
      [
        'Name,tightknit__Tightknit_Id__c,tightknit__Community__r.tightknit__Tightknit_Id__c,tightknit__Status__c',
        'Ada,slack:T1:U1,slack:T1,Active',
        'Bob,slack:T1:U2,slack:T9,Active',
        'Cy,slack:T1:U3,slack:T1,Sleeping',
      ].join('\n') + '\n',
    );
    await members.close();
    await members.poll(20, 10000);
    const ok = await members.getSuccessfulResults();
    const failed = await members.getFailedResults();
    expect(ok.map((r) => (r as Record<string, unknown>).Name)).toEqual(['Ada']);
    const errors = Object.fromEntries(failed.map((r) => [(r as Record<string, unknown>).Name as string, r.sf__Error]));
    expect(errors.Bob).toBe(
      'INVALID_FIELD:Foreign key external ID: slack:T9 not found for field tightknit__Tightknit_Id__c in entity tightknit__Community__c:tightknit__Community__c',
    );
    expect(errors.Cy).toBe(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:Status: bad value for restricted picklist field: Sleeping:tightknit__Status__c',
    );
    const info = await members.check();
    expect(info.state).toBe('JobComplete');
    expect(info.numberRecordsProcessed).toBe(3);
    expect(info.numberRecordsFailed).toBe(2);

    const result = await conn.query<{ Name: string; tightknit__Community__r: { Name: string } }>(
      "SELECT Name, tightknit__Community__r.Name FROM tightknit__Member__c WHERE tightknit__Status__c = 'Active'",
    );
    expect(result.totalSize).toBe(1);
    expect(result.records[0].Name).toBe('Ada');
    expect(result.records[0].tightknit__Community__r.Name).toBe('Acme Community');
  });

  it('reports a failed job through poll() with the job errorMessage', async () => {
    const conn = connectionFor(emu);
    const job = conn.bulk2.createJob({ object: 'tightknit__Community__c', operation: 'insert' });
    await job.open();
    await job.uploadData('Name,Nope__c\nX,1\n');
    await job.close();
    await expect(job.poll(20, 10000)).rejects.toThrow('InvalidBatch : Field name not found : Nope__c');
  });
});
