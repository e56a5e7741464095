import { Connection } from '@jsforce/jsforce-node';
import { createHash, randomBytes } from 'node:crypto';
import { EmulatorFleet, startEmulators } from '../index';
import { call } from './helpers/emulator';

const v = '/services/data/v65.0';

/** The client credentials flow at one org's token endpoint, as the sync runs it. */
async function clientCredentials(instanceUrl: string, clientId: string, clientSecret: string): Promise<Response> {
  return fetch(`${instanceUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
}

describe('several orgs in one emulator process', () => {
  let fleet: EmulatorFleet;
  beforeAll(async () => {
    fleet = await startEmulators({ orgs: 3 });
  });
  afterAll(async () => {
    await fleet.close();
  });

  it('gives each org its own origin and usernames, and builds an org only when it is first used', async () => {
    const [one, two, three] = fleet.orgs;
    expect(new Set(fleet.orgs.map((o) => o.instanceUrl)).size).toBe(3);
    for (const o of fleet.orgs) {
      expect(o.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(o.loginUrl).toBe(o.instanceUrl);
    }
    expect(one.users.integration.username).toBe('integration@tightknit-emulator.test');
    expect(two.users.integration.username).toBe('integration@org2.tightknit-emulator.test');
    expect(three.users.admin.username).toBe('admin@org3.tightknit-emulator.test');
    // The packaged External Client App has one consumer key and secret in every subscriber org.
    expect(two.clientId).toBe(one.clientId);
    expect(fleet.initializedOrgs()).toBe(0);
    expect((await fetch(`${three.instanceUrl}/services/data`)).status).toBe(200);
    expect(fleet.initializedOrgs()).toBe(1);
  });

  it('keeps records and ids apart: what one org holds, the others do not', async () => {
    const [one, two] = fleet.orgs;
    const [id1] = one.org.insert('Account', [{ Name: 'Only in org 1' }]);
    const [id2] = two.org.insert('Account', [{ Name: 'Only in org 2' }]);
    expect(id1).not.toBe(id2);
    expect(one.org.records('Account').map((r) => r.Name)).toEqual(['Only in org 1']);
    expect(two.org.records('Account').map((r) => r.Name)).toEqual(['Only in org 2']);
    expect(fleet.orgs[2].org.records('Account')).toEqual([]);
    const t2 = two.issueTokens('admin').accessToken;
    const got = await call(two, t2, 'GET', `${v}/sobjects/Account/${id1}`);
    expect(got.status).toBe(404);
  });

  it('refuses a token of one org at another, and runs client credentials as each org’s own integration user', async () => {
    const [one, two] = fleet.orgs;
    const token1 = one.issueTokens('integration').accessToken;
    expect((await call(one, token1, 'GET', `${v}/limits`)).status).toBe(200);
    const refused = await call(two, token1, 'GET', `${v}/limits`);
    expect(refused.status).toBe(401);
    expect(refused.body[0].errorCode).toBe('INVALID_SESSION_ID');
    expect(
      (await fetch(`${two.instanceUrl}/services/oauth2/userinfo`, { headers: { Authorization: `Bearer ${token1}` } }))
        .status,
    ).toBe(403);

    const res = await clientCredentials(two.instanceUrl, two.clientId, two.clientSecret);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; instance_url: string; id: string };
    expect(body.instance_url).toBe(two.instanceUrl);
    const me = await call(two, body.access_token, 'GET', '/services/oauth2/userinfo');
    expect(me.body.preferred_username).toBe('integration@org2.tightknit-emulator.test');
    expect(me.body.organization_id).not.toBe(
      (await call(one, token1, 'GET', '/services/oauth2/userinfo')).body.organization_id,
    );
    expect((await call(one, body.access_token, 'GET', `${v}/limits`)).status).toBe(401);
  });

  it('runs the web flow (PKCE) per org: each login URL knows its own users, and a code is good only where it was given', async () => {
    const [one, two] = fleet.orgs;
    const verifier = randomBytes(32).toString('base64url');
    const redirectUri = 'http://127.0.0.1:1717/callback';
    const authorize = (org: typeof one, username: string, password: string) =>
      fetch(`${org.loginUrl}/services/oauth2/authorize`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          response_type: 'code',
          client_id: org.clientId,
          redirect_uri: redirectUri,
          code_challenge: createHash('sha256').update(verifier).digest('base64url'),
          code_challenge_method: 'S256',
          username,
          pw: password,
        }),
      });
    // Org 1's admin does not exist in org 2: the login page comes back with the error.
    const wrongOrg = await authorize(two, one.users.admin.username, one.users.admin.password);
    expect(wrongOrg.status).toBe(200);
    expect(await wrongOrg.text()).toContain('Please check your username and password');

    const ok = await authorize(two, two.users.integration.username, two.users.integration.password);
    expect(ok.status).toBe(302);
    const code = new URL(ok.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const exchange = (org: typeof one) =>
      fetch(`${org.loginUrl}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          client_id: org.clientId,
          client_secret: org.clientSecret,
          redirect_uri: redirectUri,
          code_verifier: verifier,
        }),
      });
    expect(((await (await exchange(one)).json()) as { error: string }).error).toBe('invalid_grant');
    const tokens = (await (await exchange(two)).json()) as { refresh_token: string; instance_url: string };
    expect(tokens.instance_url).toBe(two.instanceUrl);
    const refreshAt = (org: typeof one) =>
      fetch(`${org.loginUrl}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
          client_id: org.clientId,
          client_secret: org.clientSecret,
        }),
      });
    expect((await refreshAt(one)).status).toBe(400);
    expect((await refreshAt(two)).status).toBe(200);
  });

  it('runs Bulk API 2.0 jobs per org: a job of org 2 loads only org 2 and is unknown to org 1', async () => {
    const [one, two] = fleet.orgs;
    const conn = new Connection({
      instanceUrl: two.instanceUrl,
      accessToken: two.issueTokens('integration').accessToken,
      version: '65.0',
    });
    conn.bulk2.pollInterval = 20;
    const job = conn.bulk2.createJob({
      object: 'tightknit__Community__c',
      operation: 'upsert',
      externalIdFieldName: 'tightknit__Tightknit_Id__c',
    });
    await job.open();
    await job.uploadData('Name,tightknit__Tightknit_Id__c,tightknit__Platform__c\nAcme,slack:T1,Slack\n');
    await job.close();
    await job.poll(20, 10000);
    expect(await job.getSuccessfulResults()).toHaveLength(1);
    expect(two.org.records('tightknit__Community__c')).toHaveLength(1);
    expect(one.org.records('tightknit__Community__c')).toHaveLength(0);
    const t1 = one.issueTokens('admin').accessToken;
    expect((await call(one, t1, 'GET', `${v}/jobs/ingest/${job.id}`)).status).toBe(404);
    expect((await call(one, t1, 'GET', `${v}/jobs/ingest`)).body.records).toEqual([]);
  });

  it('keeps limits, faults and counters per org', async () => {
    const [one, two] = fleet.orgs;
    one.setFaults({ apiRequestLimit: 0 });
    try {
      const t1 = one.issueTokens('admin').accessToken;
      const t2 = two.issueTokens('admin').accessToken;
      expect((await call(one, t1, 'GET', `${v}/limits`)).body[0].errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
      two.org.resetApiCallCount();
      expect((await call(two, t2, 'GET', `${v}/limits`)).status).toBe(200);
      expect(two.org.apiCallCount()).toBe(1);
    } finally {
      one.setFaults({ apiRequestLimit: undefined });
    }
  });

  it('refuses a bad org count and options that load one org', async () => {
    await expect(startEmulators({ orgs: 0 })).rejects.toThrow('orgs must be a whole number from 1 to 1000 (got 0)');
    await expect(startEmulators({ orgs: 2, dataFile: 'x.ndjson' } as never)).rejects.toThrow(
      /dataFile and seedContactsCsv/,
    );
  });
});
