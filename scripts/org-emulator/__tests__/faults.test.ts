import { RunningEmulator, startEmulator } from '../index';
import { runIngest, lines } from './helpers/bulk';
import { call } from './helpers/emulator';

// Faults on demand (issue #3). Expected answers: 503 for server errors, 403 REQUEST_LIMIT_EXCEEDED
// "TotalRequests Limit exceeded." (REST API "Status Codes and Error Responses"), 401
// INVALID_SESSION_ID for expired sessions, UNABLE_TO_LOCK_ROW row errors, a Failed job with an
// errorMessage and its rows in unprocessedrecords.
const limitsPath = '/services/data/v65.0/limits';

describe('faults', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeEach(() => {
    token = emu.issueTokens('integration').accessToken;
  });
  beforeAll(async () => {
    emu = await startEmulator();
    emu.org.insert('tightknit__Community__c', [{ Name: 'Acme', tightknit__Tightknit_Id__c: 'slack:T1' }]);
  });
  afterAll(async () => {
    await emu.close();
  });
  afterEach(() =>
    emu.setFaults({
      latencyMs: 0,
      serverErrorRate: 0,
      dropConnectionRate: 0,
      lockRowRate: 0,
      failNextJobs: 0,
      expireTokensAfterCalls: undefined,
      apiRequestLimit: undefined,
    }),
  );

  it('adds latency', async () => {
    emu.setFaults({ latencyMs: 120 });
    const started = Date.now();
    await call(emu, token, 'GET', limitsPath);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('answers the configured share of calls with 503 and drops connections', async () => {
    emu.setFaults({ serverErrorRate: 0.5 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(emu, token, 'GET', limitsPath)).status);
    expect(statuses).toEqual([200, 503, 200, 503]);
    emu.setFaults({ serverErrorRate: 0, dropConnectionRate: 1 });
    await expect(call(emu, token, 'GET', limitsPath)).rejects.toThrow();
  });

  it('expires tokens after N authenticated calls', async () => {
    emu.setFaults({ expireTokensAfterCalls: 2 });
    const t = emu.issueTokens('integration').accessToken;
    expect((await call(emu, t, 'GET', limitsPath)).status).toBe(200);
    expect((await call(emu, t, 'GET', limitsPath)).status).toBe(200);
    const third = await call(emu, t, 'GET', limitsPath);
    expect(third.status).toBe(401);
    expect(third.body[0].errorCode).toBe('INVALID_SESSION_ID');
  });

  it('enforces an API request limit', async () => {
    const t = emu.issueTokens('integration').accessToken;
    const used = (await call(emu, t, 'GET', limitsPath)).body.DailyApiRequests;
    emu.setFaults({ apiRequestLimit: 15000 - used.Remaining + 2 });
    const limits = await call(emu, t, 'GET', limitsPath);
    expect(limits.body.DailyApiRequests.Remaining).toBe(1);
    expect((await call(emu, t, 'GET', limitsPath)).status).toBe(200);
    const refused = await call(emu, t, 'GET', limitsPath);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
  });

  it('fails a share of rows with UNABLE_TO_LOCK_ROW; the retried rows succeed in a new job', async () => {
    emu.setFaults({ lockRowRate: 0.3 });
    const rows = Array.from({ length: 100 }, (_, i) => `slack:T1:L${i},M${i},slack:T1`);
    const header = 'tightknit__Tightknit_Id__c,Name,tightknit__Community__r.tightknit__Tightknit_Id__c';
    const job = {
      object: 'tightknit__Member__c',
      operation: 'upsert',
      externalIdFieldName: 'tightknit__Tightknit_Id__c',
    };
    const first = await runIngest(emu, token, job, `${header}\n${rows.join('\n')}\n`);
    const failed = lines(first.failed);
    expect(failed.length).toBeGreaterThan(10);
    expect(failed.length).toBeLessThan(50);
    expect(failed[0]).toContain(
      'UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record or 1 records: :--',
    );
    emu.setFaults({ lockRowRate: 0 });
    const retry = failed.map((l) => l.split('","').slice(2).join(',').replace(/"/g, ''));
    const second = await runIngest(emu, token, job, `${header}\n${retry.join('\n')}\n`);
    expect(lines(second.success)).toHaveLength(failed.length);
    expect(emu.org.records('tightknit__Member__c').filter((m) => String(m.Name).startsWith('M'))).toHaveLength(100);
  });

  it('limits the lock fault to the objects named in lockRowObjects', async () => {
    emu.setFaults({ lockRowRate: 1, lockRowObjects: ['tightknit__Member__c'] });
    try {
      const community = await runIngest(
        emu,
        token,
        { object: 'tightknit__Community__c', operation: 'insert' },
        'Name,tightknit__Tightknit_Id__c\nLocked out,slack:TLOCK\n',
      );
      expect(lines(community.success)).toHaveLength(1);
      const member = await runIngest(
        emu,
        token,
        { object: 'tightknit__Member__c', operation: 'upsert', externalIdFieldName: 'tightknit__Tightknit_Id__c' },
        'tightknit__Tightknit_Id__c,Name,tightknit__Community__r.tightknit__Tightknit_Id__c\nslack:TLOCK:U1,M,slack:TLOCK\n',
      );
      expect(lines(member.failed)[0]).toContain('UNABLE_TO_LOCK_ROW');
    } finally {
      emu.setFaults({ lockRowRate: 0, lockRowObjects: undefined });
    }
  });

  it('ends the next N jobs Failed with every row unprocessed', async () => {
    emu.setFaults({ failNextJobs: 1 });
    const job = { object: 'tightknit__Community__c', operation: 'insert' };
    const failed = await runIngest(emu, token, job, 'Name,tightknit__Tightknit_Id__c\nX,slack:TX\n');
    expect(failed.info.state).toBe('Failed');
    expect(failed.info.errorMessage).toMatch(/^InternalServerError : /);
    expect(lines(failed.unprocessed)).toEqual(['"X","slack:TX"']);
    const ok = await runIngest(emu, token, job, 'Name,tightknit__Tightknit_Id__c\nX,slack:TX\n');
    expect(ok.info.state).toBe('JobComplete');
  });
});
