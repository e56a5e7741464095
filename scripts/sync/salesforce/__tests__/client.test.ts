import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiVersion } from '../../connection/api-version';
import { openConnection } from '../../connection/open';
import type { CredentialSource } from '../../connection/credential-store';
import { requestToken, revokeToken } from '../../connection/token-endpoint';
import type { StoredCredentials } from '../../connection/types';
import { OrgRefusedError } from '../../errors';
import { SalesforceClient } from '../client';
import { RequestLimitError, SalesforceApiError } from '../errors';

/**
 * The one Salesforce client against a scripted local org: one server plays both the instance (REST) and
 * the login server (token endpoint), so a test sees every request the client sends, in order.
 */
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

interface ScriptedOrg {
  url: string;
  /** `METHOD path` of every request, token requests included. */
  seen: string[];
  handle: Handler;
  close(): Promise<void>;
}

async function scriptedOrg(): Promise<ScriptedOrg> {
  const org: ScriptedOrg = {
    url: '',
    seen: [],
    handle: (_req, _body, res) => res.writeHead(404).end(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      org.seen.push(`${req.method} ${req.url}`);
      org.handle(req, Buffer.concat(chunks).toString('utf8'), res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  org.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return org;
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
const LIMITS = { DailyApiRequests: { Max: 15000, Remaining: 14000 } };
const FAST = { backoffMs: 1, maxBackoffMs: 5 };

/** A web (refresh-token) connection kept in memory: what openConnection loads, and where a renewal lands. */
function memorySource(org: ScriptedOrg): CredentialSource & { saved: string[] } {
  const creds: StoredCredentials = {
    method: 'web',
    loginUrl: org.url,
    instanceUrl: org.url,
    clientId: 'client-id',
    connectedAt: new Date(0).toISOString(),
    secrets: { accessToken: 'old-token', refreshToken: 'refresh-token' },
  };
  const saved: string[] = [];
  return {
    saved,
    load: async () => creds,
    saveAccessToken: async (token) => {
      saved.push(token);
    },
  };
}

let org: ScriptedOrg;
beforeEach(async () => {
  org = await scriptedOrg();
});
afterEach(async () => {
  await org.close();
});

describe('token renewal on a 401', () => {
  /** The instance accepts only `new-token`; the token endpoint hands it out (or refuses). */
  function sessionExpires(tokenAnswer: (res: ServerResponse) => void): void {
    org.handle = (req, _body, res) => {
      if (req.url === '/services/oauth2/token') return tokenAnswer(res);
      if (req.headers.authorization !== 'Bearer new-token') {
        return json(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
      }
      return json(res, 200, LIMITS);
    };
  }

  it('renews once through the token endpoint, stores the new token and sends the call again', async () => {
    sessionExpires((res) => json(res, 200, { access_token: 'new-token', instance_url: org.url }));
    const source = memorySource(org);
    let renewed = 0;
    const opened = await openConnection({ credentials: source, onRenewed: () => renewed++ });
    await expect(opened.connection.limits()).resolves.toEqual(LIMITS);
    const limits = `GET /services/data/v${apiVersion()}/limits`;
    expect(org.seen).toEqual([limits, 'POST /services/oauth2/token', limits]);
    expect(source.saved).toEqual(['new-token']);
    expect(renewed).toBe(1);
    expect(opened.renewalFailure()).toBeUndefined();
  });

  it('shares one renewal between calls that meet the 401 together, from any client over the session', async () => {
    sessionExpires((res) => setTimeout(() => json(res, 200, { access_token: 'new-token', instance_url: org.url }), 50));
    const opened = await openConnection({ credentials: memorySource(org) });
    // A second client over the same session (the push makes its own) shares the renewal too.
    const other = new SalesforceClient(opened.connection.session);
    const answers = await Promise.all([opened.connection, opened.connection, other].map((c) => c.limits()));
    expect(answers).toEqual([LIMITS, LIMITS, LIMITS]);
    expect(org.seen.filter((s) => s.includes('oauth2/token'))).toHaveLength(1);
  });

  it('a refresh refused with invalid_grant ends in REFRESH_TOKEN_REVOKED, naming the reconnect', async () => {
    sessionExpires((res) =>
      json(res, 400, { error: 'invalid_grant', error_description: 'expired access/refresh token' }),
    );
    const opened = await openConnection({ credentials: memorySource(org) });
    const err = await opened.connection.describe('Contact').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrgRefusedError);
    expect(err).toMatchObject({ code: 'REFRESH_TOKEN_REVOKED', exitCode: 3 });
    expect((err as OrgRefusedError).actions.join(' ')).toContain('tightknit-sync connect');
    expect(opened.renewalFailure()).toBe(err);
    // One renewal, not one per retry: the call was sent once before it and not again.
    expect(org.seen.filter((s) => s.includes('oauth2/token'))).toHaveLength(1);
    expect(org.seen.filter((s) => s.includes('/describe'))).toHaveLength(1);
  });

  it('after a refused renewal, a later call with the same old token is refused without asking again', async () => {
    sessionExpires((res) => json(res, 400, { error: 'invalid_grant', error_description: 'expired' }));
    const opened = await openConnection({ credentials: memorySource(org) });
    await expect(opened.connection.limits()).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REVOKED' });
    const other = new SalesforceClient(opened.connection.session);
    await expect(other.describe('Contact')).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REVOKED' });
    expect(org.seen.filter((s) => s.includes('oauth2/token'))).toHaveLength(1);
  });

  it('a login server that does not answer while renewing is a passing outage (exit 1), not a wrong login URL', async () => {
    const opened = await openConnection({ credentials: memorySource(org) });
    org.handle = (req, _body, res) => {
      // The login server goes away: its connection is cut before any answer.
      if (req.url === '/services/oauth2/token') return req.socket.destroy();
      return json(res, 401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
    };
    const err = (await opened.connection.limits().catch((e: unknown) => e)) as OrgRefusedError;
    expect(err).toMatchObject({ code: 'TOKEN_ENDPOINT_UNAVAILABLE', exitCode: 1 });
    expect(err.actions.join(' ')).toContain('the next run tries again');
    expect(err.actions.join(' ')).not.toContain('--login-url');
  });

  it('a renewal is cancelled at once while it waits to ask a busy login server again', async () => {
    sessionExpires((res) => json(res, 503, { error: 'server_unavailable' }));
    const started = Date.now();
    const cancel = AbortSignal.timeout(100);
    const err = await requestToken(org.url, 'refresh', { grant_type: 'refresh_token' }, cancel).catch(
      (e: unknown) => e,
    );
    // The retries' waits (0.5 + 1 + 2 + 4 s) are cut short; the abort is not reported as an unreachable host.
    expect(Date.now() - started).toBeLessThan(400);
    expect(err).toMatchObject({ name: 'TimeoutError' });
  });

  it('a token endpoint answering 503 is asked again under the same retry rule', async () => {
    let busy = true;
    sessionExpires((res) => {
      if (busy) {
        busy = false;
        return json(res, 503, { error: 'server_unavailable' });
      }
      return json(res, 200, { access_token: 'new-token', instance_url: org.url });
    });
    const opened = await openConnection({ credentials: memorySource(org) });
    await expect(opened.connection.limits()).resolves.toEqual(LIMITS);
    expect(org.seen.filter((s) => s.includes('oauth2/token'))).toHaveLength(2);
  });

  it('revokes through the token endpoint module, again after a 503', async () => {
    let busy = true;
    org.handle = (req, body, res) => {
      if (req.url !== '/services/oauth2/revoke') return json(res, 404, {});
      if (busy) {
        busy = false;
        return json(res, 503, { error: 'server_unavailable' });
      }
      return body === 'token=refresh-token' ? res.writeHead(200).end() : json(res, 400, { error: 'invalid_token' });
    };
    await expect(revokeToken(org.url, 'refresh-token')).resolves.toBe(true);
    await expect(revokeToken(org.url, 'unknown')).resolves.toBe(false);
    expect(org.seen).toEqual(Array(3).fill('POST /services/oauth2/revoke'));
  });

  it('a session that cannot renew says the session was refused and how to fix it', async () => {
    sessionExpires(() => undefined);
    const client = new SalesforceClient({ instanceUrl: org.url, version: '65.0', accessToken: 'old-token' });
    const err = (await client.limits().catch((e: unknown) => e)) as OrgRefusedError;
    expect(err).toMatchObject({ code: 'INVALID_SESSION_ID', exitCode: 3 });
    expect(err.actions).toEqual(['Run `tightknit-sync connect` again to authorize the org.']);
    expect(org.seen).toEqual(['GET /services/data/v65.0/limits']);
    // A session made elsewhere (the sf CLI's) names its own fix.
    const sf = new SalesforceClient({ instanceUrl: org.url, version: '65.0', reconnect: 'sf org login web' });
    await expect(sf.limits()).rejects.toMatchObject({ actions: ['sf org login web'] });
  });
});

describe('one retry policy', () => {
  const session = () => ({ instanceUrl: org.url, version: '65.0', accessToken: 'token' });

  /** Answers each request with the next of `answers` (status, errorCode), then 200 with LIMITS. */
  function answers(...list: [number, string][]): void {
    org.handle = (_req, _body, res) => {
      const next = list.shift();
      if (!next) return json(res, 200, LIMITS);
      return json(res, next[0], [{ errorCode: next[1], message: `scripted ${next[1]}` }]);
    };
  }

  it('retries a 503 and a row-lock conflict, then succeeds', async () => {
    answers([503, 'SERVER_UNAVAILABLE'], [400, 'UNABLE_TO_LOCK_ROW'], [500, 'UNKNOWN_EXCEPTION']);
    const client = new SalesforceClient(session(), { ...FAST, maxRetries: 4 });
    await expect(client.limits()).resolves.toEqual(LIMITS);
    expect(org.seen).toHaveLength(4);
    expect(client.calls).toBe(4);
  });

  it('stops after maxRetries with the last answer as a SalesforceApiError', async () => {
    answers(...Array.from({ length: 10 }, (): [number, string] => [503, 'SERVER_UNAVAILABLE']));
    const client = new SalesforceClient(session(), { ...FAST, maxRetries: 2 });
    const err = await client.query('SELECT Id FROM Contact').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SalesforceApiError);
    expect(err).toMatchObject({ status: 503, code: 'SERVER_UNAVAILABLE' });
    expect(org.seen).toHaveLength(3);
  });

  it('never repeats a call that must not be sent twice', async () => {
    answers([503, 'SERVER_UNAVAILABLE']);
    const client = new SalesforceClient(session(), FAST);
    await expect(
      client.json('POST', '/sobjects/Contact', { body: { json: { LastName: 'X' } }, retry: false }),
    ).rejects.toMatchObject({ status: 503 });
    expect(org.seen).toEqual(['POST /services/data/v65.0/sobjects/Contact']);
  });

  it('does not retry a refusal: REQUEST_LIMIT_EXCEEDED becomes a clean stop, a bad query an error', async () => {
    answers([403, 'REQUEST_LIMIT_EXCEEDED']);
    const client = new SalesforceClient(session(), FAST);
    await expect(client.limits()).rejects.toBeInstanceOf(RequestLimitError);
    answers([400, 'MALFORMED_QUERY']);
    await expect(client.query('SELECT')).rejects.toMatchObject({ status: 400, code: 'MALFORMED_QUERY' });
    expect(org.seen).toHaveLength(2);
  });

  it('gives up on a server that takes the request and never answers, like a dropped connection', async () => {
    let silent = 1;
    org.handle = (_req, _body, res) => {
      if (silent-- > 0) return; // never answers
      json(res, 200, LIMITS);
    };
    const client = new SalesforceClient(session(), { ...FAST, maxRetries: 1, answerTimeoutMs: 100 });
    await expect(client.limits()).resolves.toEqual(LIMITS);
    expect(org.seen).toHaveLength(2);
  });

  it('retries a dropped connection', async () => {
    let dropped = false;
    org.handle = (req, _body, res) => {
      if (!dropped) {
        dropped = true;
        return req.socket.destroy();
      }
      return json(res, 200, LIMITS);
    };
    const client = new SalesforceClient(session(), FAST);
    await expect(client.request('/limits')).resolves.toEqual(LIMITS);
    expect(org.seen).toHaveLength(2);
  });
});

describe('queries and describes', () => {
  it('reads every page of a query and of a Tooling query', async () => {
    org.handle = (req, _body, res) => {
      const url = req.url ?? '';
      if (url.startsWith('/services/data/v65.0/query?')) {
        return json(res, 200, {
          totalSize: 3,
          done: false,
          nextRecordsUrl: '/services/data/v65.0/query/01g-2',
          records: [{ Id: '1' }, { Id: '2' }],
        });
      }
      if (url === '/services/data/v65.0/query/01g-2') {
        return json(res, 200, { totalSize: 3, done: true, records: [{ Id: '3' }] });
      }
      if (url.startsWith('/services/data/v65.0/tooling/query?')) {
        return json(res, 200, { totalSize: 1, done: true, records: [{ Id: 'T' }] });
      }
      return json(res, 404, [{ errorCode: 'NOT_FOUND', message: url }]);
    };
    const client = new SalesforceClient({ instanceUrl: org.url, version: '65.0', accessToken: 't' });
    await expect(client.query('SELECT Id FROM Contact')).resolves.toEqual({
      totalSize: 3,
      done: true,
      records: [{ Id: '1' }, { Id: '2' }, { Id: '3' }],
    });
    await expect(client.tooling.query('SELECT Id FROM X')).resolves.toMatchObject({ records: [{ Id: 'T' }] });
    await expect(client.describe('Nope__c')).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});
