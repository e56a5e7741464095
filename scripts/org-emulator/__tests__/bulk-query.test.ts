import { Connection } from '@jsforce/jsforce-node';
import { RunningEmulator, startEmulator } from '../index';
import { call } from './helpers/emulator';

// Bulk API 2.0 query jobs ("Create a Query Job", "Get Information About a Query Job", "Get Results
// for a Query Job": maxRecords, Sforce-Locator ("null" on the last page), Sforce-NumberOfRecords).
const v = '/services/data/v65.0';

describe('Bulk API 2.0 query jobs', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startEmulator();
    token = emu.issueTokens('integration').accessToken;
    emu.org.insert(
      'Contact',
      Array.from({ length: 5 }, (_, i) => ({ LastName: `C${i}`, Email: i === 0 ? null : `c${i}@x.io` })),
    );
  });
  afterAll(async () => {
    await emu.close();
  });

  it('runs a query job and pages its CSV results with Sforce-Locator', async () => {
    const created = await call(emu, token, 'POST', `${v}/jobs/query`, {
      operation: 'query',
      query: 'SELECT LastName, Email FROM Contact ORDER BY LastName',
    });
    expect(created.body).toMatchObject({
      operation: 'query',
      object: 'Contact',
      state: 'UploadComplete',
      contentType: 'CSV',
    });
    const id = created.body.id as string;
    let state = '';
    for (let i = 0; i < 100 && state !== 'JobComplete'; i++) {
      state = (await call(emu, token, 'GET', `${v}/jobs/query/${id}`)).body.state;
      await new Promise((r) => setTimeout(r, 5));
    }
    const page1 = await call(emu, token, 'GET', `${v}/jobs/query/${id}/results?maxRecords=3`);
    expect(page1.headers.get('sforce-numberofrecords')).toBe('3');
    expect(page1.text).toBe('"LastName","Email"\n"C0",""\n"C1","c1@x.io"\n"C2","c2@x.io"\n');
    const locator = page1.headers.get('sforce-locator') ?? '';
    expect(locator).not.toBe('null');
    const page2 = await call(emu, token, 'GET', `${v}/jobs/query/${id}/results?maxRecords=3&locator=${locator}`);
    expect(page2.headers.get('sforce-locator')).toBe('null');
    expect(page2.text.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('rejects an invalid query when the job is created', async () => {
    const bad = await call(emu, token, 'POST', `${v}/jobs/query`, {
      operation: 'query',
      query: 'SELECT Nope FROM Contact',
    });
    expect(bad.status).toBe(400);
    expect(bad.body[0].errorCode).toBe('INVALID_FIELD');
  });

  it('works with jsforce bulk2.query', async () => {
    const conn = new Connection({ instanceUrl: emu.instanceUrl, accessToken: token, version: '65.0' });
    conn.bulk2.pollInterval = 10;
    const records = await (await conn.bulk2.query('SELECT LastName FROM Contact')).toArray();
    expect(records.map((r: Record<string, unknown>) => r.LastName).sort()).toEqual(['C0', 'C1', 'C2', 'C3', 'C4']);
  });
});
