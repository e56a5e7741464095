import { request } from 'node:http';
import { startEmulator, type RunningEmulator } from '../../org-emulator';
import { MemberFields, SObjects } from '../../generated/sobjects';
import { scriptedBrowser } from '../../sync/connection/__tests__/helpers';
import { loadConfig } from '../../sync/config';
import { hasCredentials } from '../../sync/connection/credential-store';
import { acquireLock } from '../../sync/ops/lock';
import type {
  ApiError,
  CheckReportView,
  ConfigView,
  DisconnectView,
  InvestigationView,
  RunView,
  StatusView,
  VerifyView,
} from '../contract';
import { startConsole, type ConsoleOptions } from '../server';
import {
  clientCredentials,
  fakePublicDir,
  ingestedStateDir,
  KEYS,
  signedInConsole,
  tempDir,
  type SignedIn,
} from './helpers';

let emu: RunningEmulator;
const publicDir = fakePublicDir();
const open: SignedIn[] = [];

beforeAll(async () => {
  emu = await startEmulator();
});
afterEach(async () => {
  emu.setFaults({ lockRowRate: 0 });
  await Promise.all(open.splice(0).map((c) => c.console.close()));
});
afterAll(async () => {
  await emu.close();
});

async function consoleOver(stateDir: string, opts: Partial<ConsoleOptions> = {}): Promise<SignedIn> {
  const c = await signedInConsole({ stateDir, publicDir, ...opts });
  open.push(c);
  return c;
}

/** A raw request, to send headers fetch will not let a caller set (Host). */
function rawGet(origin: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('who may use the console', () => {
  it('trades the one-time launch token for a session cookie, once', async () => {
    const c = await startConsole({ stateDir: tempDir(), publicDir, key: KEYS, port: 0 });
    try {
      const first = await fetch(c.launchUrl, { redirect: 'manual' });
      expect(first.status).toBe(303);
      expect(first.headers.get('location')).toBe('/');
      expect(first.headers.get('set-cookie')).toMatch(/^tk_console=[\w-]{40,}; HttpOnly; SameSite=Strict; Path=\//);
      const again = await fetch(c.launchUrl, { redirect: 'manual' });
      expect(again.status).toBe(401);
      expect(again.headers.get('set-cookie')).toBeNull();
      expect(await again.text()).toContain('one-time link');
      const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0];
      const page = await fetch(`${c.origin}/`, { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    } finally {
      await c.close();
    }
  });

  it('answers 401 UNAUTHORIZED to API calls without a session, and with a wrong token', async () => {
    const c = await consoleOver(tempDir());
    const bare = await fetch(`${c.console.origin}/api/status`);
    expect(bare.status).toBe(401);
    const body = (await bare.json()) as ApiError;
    expect(body.error.code).toBe('UNAUTHORIZED');
    expect(body.error.actions[0]).toContain('tightknit-sync console');
    const forged = await fetch(`${c.console.origin}/api/status`, { headers: { cookie: 'tk_console=forged' } });
    expect(forged.status).toBe(401);
    const wrongLaunch = await fetch(`${c.console.origin}/?token=guess`, { redirect: 'manual' });
    expect(wrongLaunch.status).toBe(401);
  });

  it('refuses other Host names (DNS rebinding) and cross-site origins', async () => {
    const c = await consoleOver(tempDir());
    expect(await rawGet(c.console.origin, '/api/status', { cookie: c.cookie, host: 'evil.example.com' })).toBe(403);
    expect(await rawGet(c.console.origin, '/api/status', { cookie: c.cookie })).toBe(200);
    const cross = await c.call('POST', '/api/sync/pause', {}, { origin: 'http://evil.example.com' });
    expect(cross.status).toBe(403);
    expect(((await cross.json()) as ApiError).error.code).toBe('UNTRUSTED_ORIGIN');
  });

  it('takes state changes only as JSON, of bounded size', async () => {
    const c = await consoleOver(tempDir());
    const form = await c.call('POST', '/api/sync/pause', undefined, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    const broken = await fetch(`${c.console.origin}/api/config`, {
      method: 'PUT',
      headers: { cookie: c.cookie, 'content-type': 'application/json' },
      body: '{"intervalMinutes": ',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ApiError).error.code).toBe('INVALID_JSON');
    const huge = await c.call('PUT', '/api/config', { matchingField: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
  });

  it('binds off loopback only with an auth token, which then works as a bearer token', async () => {
    await expect(startConsole({ stateDir: tempDir(), publicDir, host: '0.0.0.0', port: 0 })).rejects.toMatchObject({
      code: 'AUTH_TOKEN_REQUIRED',
    });
    const token = 'a'.repeat(40);
    const c = await startConsole({ stateDir: tempDir(), publicDir, key: KEYS, port: 0, authToken: token });
    try {
      expect((await fetch(`${c.origin}/api/status`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
        200,
      );
      expect(
        (await fetch(`${c.origin}/api/status`, { headers: { authorization: `Bearer ${'b'.repeat(40)}` } })).status,
      ).toBe(401);
    } finally {
      await c.close();
    }
  });

  it('serves only files of the built front end', async () => {
    const c = await consoleOver(tempDir());
    expect((await c.call('GET', '/app.js')).headers.get('content-type')).toContain('javascript');
    expect((await c.call('GET', '/assets/styles/slds.css')).status).toBe(200);
    expect((await c.call('GET', '/%2e%2e/%2e%2e/package.json')).status).toBe(404);
    expect((await c.call('GET', '/nothing.js')).status).toBe(404);
  });
});

describe('routing', () => {
  it('says 404 for unknown paths and 405 for a known path with another method', async () => {
    const c = await consoleOver(tempDir());
    const unknown = await c.json<ApiError>('GET', '/api/nothing');
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect((await c.call('DELETE', '/api/config')).status).toBe(405);
    expect((await c.call('GET', '/api/runs/1/retry')).status).toBe(405);
  });
});

describe('status and configuration', () => {
  it('shows an unconnected state directory with its store', async () => {
    const c = await consoleOver(await ingestedStateDir(12));
    const s = await c.status();
    expect(s).toMatchObject({
      connection: null,
      pendingLogin: null,
      backfilled: false,
      store: { communities: 1, members: 8, activities: 12 },
      scheduler: { state: 'stopped', paused: false, intervalMinutes: 1, heldBy: null },
      activity: null,
      lastRun: null,
    });
  });

  it('saves valid changes and merges weights', async () => {
    const dir = tempDir();
    const c = await consoleOver(dir);
    const saved = await c.json<ConfigView>('PUT', '/api/config', {
      createContacts: true,
      intervalMinutes: 15,
      matchingField: 'Work_Email__c',
      engagement: { weights: { post_created: 8 } },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ createContacts: true, intervalMinutes: 15, matchingField: 'Work_Email__c' });
    expect(saved.body.engagement.weights).toMatchObject({ post_created: 8, message_sent: 3 });
    expect(loadConfig(dir).intervalMinutes).toBe(15);
    expect((await c.json<ConfigView>('GET', '/api/config')).body.intervalMinutes).toBe(15);
  });

  it('names every bad field and saves nothing', async () => {
    const dir = tempDir();
    const c = await consoleOver(dir);
    const bad = await c.json<ApiError>('PUT', '/api/config', {
      intervalMinutes: 0,
      matchingField: 'Email; DELETE',
      engagement: { weights: { post_created: 'lots' }, thresholds: { champion: -1 } },
      colour: 'blue',
    });
    expect(bad.status).toBe(400);
    const fields = Object.fromEntries((bad.body.error.fields ?? []).map((f) => [f.field, f.reason]));
    expect(Object.keys(fields).sort()).toEqual(
      [
        'colour',
        // champion below zero also breaks the order champion > high > medium, reported on the group
        'engagement.thresholds',
        'engagement.thresholds.champion',
        'engagement.weights.post_created',
        'intervalMinutes',
        'matchingField',
      ].sort(),
    );
    expect(fields.matchingField).toContain('API name');
    expect(bad.body.error.actions[0]).toContain('Nothing was saved');
    expect(loadConfig(dir).intervalMinutes).toBe(5);
    const notObject = await c.json<ApiError>('PUT', '/api/config', [1, 2]);
    expect(notObject.status).toBe(400);
  });
});

describe('connection', () => {
  it('validates the request per method and names the missing fields', async () => {
    const c = await consoleOver(tempDir());
    const missing = await c.json<ApiError>('POST', '/api/connection', {
      method: 'client-credentials',
      loginUrl: 'not a url',
    });
    expect(missing.status).toBe(400);
    expect((missing.body.error.fields ?? []).map((f) => f.field).sort()).toEqual([
      'clientId',
      'clientSecret',
      'loginUrl',
    ]);
    const jwt = await c.json<ApiError>('POST', '/api/connection', {
      method: 'jwt',
      loginUrl: emu.loginUrl,
      clientId: 'x',
    });
    expect((jwt.body.error.fields ?? []).map((f) => f.field).sort()).toEqual(['keyFile', 'username']);
    const method = await c.json<ApiError>('POST', '/api/connection', { method: 'password' });
    expect(method.body.error.fields).toEqual([
      { field: 'method', reason: 'must be one of client-credentials, jwt, web' },
    ]);
  });

  it('reports a refused secret with its fix and stores nothing', async () => {
    const dir = tempDir();
    const c = await consoleOver(dir);
    const refused = await c.json<ApiError>('POST', '/api/connection', {
      ...clientCredentials(emu),
      clientSecret: 'wrong',
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.body.error.code).toMatch(/INVALID_CLIENT|OAUTH/);
    expect(refused.body.error.actions.length).toBeGreaterThan(0);
    expect(hasCredentials(dir)).toBe(false);
  });

  it('connects with client credentials, verifies, tests, refuses a second connect, disconnects with revoke', async () => {
    const dir = await ingestedStateDir(8);
    const c = await consoleOver(dir);
    const connected = await c.json<{ connection: { username: string; method: string } }>(
      'POST',
      '/api/connection',
      clientCredentials(emu),
    );
    expect(connected.status).toBe(200);
    expect(connected.body.connection).toMatchObject({
      method: 'client-credentials',
      username: emu.users.integration.username,
    });
    expect(JSON.stringify(connected.body)).not.toContain(emu.clientSecret);
    expect((await c.status()).connection?.instanceUrl).toBe(emu.instanceUrl);

    const verify = await c.json<VerifyView>('POST', '/api/connection/verify');
    expect(verify.body).toMatchObject({ ok: true, installed: { namespace: 'tightknit' } });
    const check = await c.json<CheckReportView>('POST', '/api/connection/check');
    expect(check.body.ok).toBe(true);
    expect(check.body.checks.length).toBeGreaterThan(3);

    const again = await c.json<ApiError>('POST', '/api/connection', clientCredentials(emu));
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_CONNECTED' } } });

    const gone = await c.json<DisconnectView>('DELETE', '/api/connection');
    expect(gone.body).toMatchObject({ revoked: true, instanceUrl: emu.instanceUrl });
    expect((await c.status()).connection).toBeNull();
    expect((await c.json<ApiError>('POST', '/api/connection/verify')).status).toBeGreaterThanOrEqual(400);
    expect((await c.json<ApiError>('DELETE', '/api/connection')).body.error.code).toBe('NOT_CONNECTED');
  });

  it('web sign-in: answers the authorize URL, finishes when the browser comes back', async () => {
    const dir = tempDir();
    const c = await consoleOver(dir);
    const started = await c.json<{ authorizeUrl: string }>('POST', '/api/connection', {
      method: 'web',
      loginUrl: emu.loginUrl,
      clientId: emu.clientId,
      callbackUrl: 'http://127.0.0.1:0/callback',
    });
    expect(started.status).toBe(202);
    expect(started.body.authorizeUrl).toContain('/services/oauth2/authorize?');
    expect(started.body.authorizeUrl).toContain('code_challenge_method=S256');
    expect((await c.status()).pendingLogin?.authorizeUrl).toBe(started.body.authorizeUrl);
    await scriptedBrowser(emu, emu.users.integration)(started.body.authorizeUrl);
    const s = await c.until((x) => x.connection !== null && x.pendingLogin === null);
    expect(s.connection).toMatchObject({ method: 'web', username: emu.users.integration.username });
  });
});

describe('syncing', () => {
  async function connectedConsole(activities = 20): Promise<{ c: SignedIn; dir: string }> {
    const dir = await ingestedStateDir(activities);
    const c = await consoleOver(dir);
    expect((await c.call('POST', '/api/connection', clientCredentials(emu))).status).toBe(200);
    return { c, dir };
  }

  it('refuses to start without a connection', async () => {
    const c = await consoleOver(await ingestedStateDir(4));
    const res = await c.json<ApiError>('POST', '/api/sync/start');
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'NOT_CONNECTED' } } });
  });

  it('sends connected pages a fresh status even when nothing in this process changed', async () => {
    const c = await consoleOver(await ingestedStateDir(), { refreshMs: 50 });
    const events = await fetch(`${c.console.origin}/api/events`, { headers: { cookie: c.cookie } });
    const reader = events.body!.getReader();
    const seqs: number[] = [];
    while (seqs.length < 3) {
      const chunk = new TextDecoder().decode((await reader.read()).value);
      for (const data of chunk.split('data: ').slice(1)) seqs.push((JSON.parse(data) as StatusView).revision.seq);
    }
    await reader.cancel();
    expect(seqs[2]).toBeGreaterThan(seqs[1]);
    expect(seqs[1]).toBeGreaterThan(seqs[0]);
  });

  it('starts: backfill, then waits for the next interval; streams status events; pause, resume, stop', async () => {
    const { c, dir } = await connectedConsole();
    const events = await fetch(`${c.console.origin}/api/events`, { headers: { cookie: c.cookie } });
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const reader = events.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('event: status');
    expect((JSON.parse(first.split('data: ')[1]) as StatusView).connection).not.toBeNull();

    const started = await c.json<StatusView>('POST', '/api/sync/start', {});
    expect(started.status).toBe(202);
    const twice = await c.json<ApiError>('POST', '/api/sync/start', {});
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_RUNNING' } } });

    const waiting = await c.until(
      (s) => s.backfilled && s.scheduler.state === 'waiting' && s.scheduler.nextRunAt !== null,
    );
    expect(waiting.lastRun).toMatchObject({ type: 'backfill', status: 'Succeeded' });
    expect(waiting.lastRun?.objects.activity.succeeded).toBe(20);
    expect(emu.org.records(SObjects.Member)).toHaveLength(8);

    const later = new TextDecoder().decode((await reader.read()).value);
    expect(later).toContain('event: status');
    await reader.cancel();

    const paused = await c.json<StatusView>('POST', '/api/sync/pause');
    expect(paused.body.scheduler.paused).toBe(true);
    await c.until((s) => s.scheduler.state === 'paused');
    const resumed = await c.json<StatusView>('POST', '/api/sync/resume');
    expect(resumed.body.scheduler.paused).toBe(false);
    // Every status says when it was built, so the page can drop an answer older than what it shows.
    expect(resumed.body.revision.server).toBe(paused.body.revision.server);
    expect(resumed.body.revision.seq).toBeGreaterThan(paused.body.revision.seq);
    await c.until((s) => s.scheduler.state === 'waiting');

    const stopped = await c.json<StatusView>('POST', '/api/sync/stop');
    expect(stopped.body.scheduler.state).toBe('stopped');
    const runs = await c.json<{ runs: RunView[] }>('GET', '/api/runs?limit=5');
    expect(runs.body.runs[0]).toMatchObject({ type: 'backfill', status: 'Succeeded' });
    // The state directory is free again for a terminal's `start`.
    acquireLock(dir, 'test').release();
  });

  it('says who holds the state directory when another process runs it', async () => {
    const { c, dir } = await connectedConsole(4);
    const lock = acquireLock(dir, 'start');
    try {
      // A lock of this pid reads as "ours"; pretend it belongs to another live process (the parent).
      const file = `${dir}/sync.lock`;
      const { readFileSync, writeFileSync } = await import('node:fs');
      const info = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
      writeFileSync(file, JSON.stringify({ ...info, pid: process.ppid }));
      expect((await c.status()).scheduler.heldBy).toEqual({ pid: process.ppid, command: 'start' });
      const refused = await c.json<ApiError>('POST', '/api/sync/start', {});
      expect(refused).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_RUNNING' } } });
    } finally {
      const { rmSync } = await import('node:fs');
      rmSync(`${dir}/sync.lock`, { force: true });
      lock.release();
    }
  });

  it('investigates a failed run and retries it, in the running loop and on its own', async () => {
    const dir = await ingestedStateDir(12);
    const c = await signedInConsole({
      stateDir: dir,
      publicDir,
      tuning: { poll: { initialMs: 20, maxMs: 100, timeoutMs: 30_000 }, collectionsThreshold: 0, lockRetries: 0 },
    });
    open.push(c);
    expect((await c.call('POST', '/api/connection', clientCredentials(emu))).status).toBe(200);
    emu.setFaults({ lockRowRate: 1 });
    await c.call('POST', '/api/sync/start', {});
    const failed = await c.until((s) => s.lastRun?.type === 'backfill' && s.scheduler.state === 'waiting');
    expect(failed.lastRun?.status).toBe('Failed');
    const runId = failed.lastRun!.runId;

    const inv = await c.json<InvestigationView>('GET', `/api/runs/${runId}`);
    expect(inv.status).toBe(200);
    const lockGroup = inv.body.errors.find((g) => g.code === 'UNABLE_TO_LOCK_ROW');
    expect(lockGroup?.count).toBeGreaterThan(0);
    expect(lockGroup?.hint?.fix).toBeTruthy();
    // Every row fails, the community's too: its members and activities wait for it.
    expect(inv.body.jobs.community[0]).toMatchObject({ path: 'bulk', state: 'JobComplete', failed: 1 });
    expect(inv.body.jobs.community[0].salesforceJobId).toMatch(/^750/);
    expect(inv.body.heldBack.map((h) => h.object).sort()).toEqual(['activity', 'member']);

    emu.setFaults({ lockRowRate: 0 });
    expect((await c.json<StatusView>('POST', `/api/runs/${runId}/retry`)).status).toBe(202);
    const retried = await c.until((s) => s.lastRun?.type === 'retry' && s.activity === null);
    expect(retried.lastRun).toMatchObject({ status: 'Succeeded', retryOf: runId });
    expect(emu.org.records(SObjects.Member).map((m) => m[MemberFields.Tightknit_Id])).toHaveLength(8);

    await c.call('POST', '/api/sync/stop');
    expect((await c.json<StatusView>('POST', `/api/runs/${runId}/retry`)).status).toBe(202);
    const alone = await c.until(
      (s) => s.lastRun?.retryOf === runId && s.lastRun.runId > retried.lastRun!.runId && !s.activity,
    );
    expect(alone.lastRun).toMatchObject({ type: 'retry', status: 'Succeeded' });
  });

  it('answers 404 for runs that do not exist and 400 for a bad limit', async () => {
    const c = await consoleOver(await ingestedStateDir(4));
    expect((await c.json<ApiError>('GET', '/api/runs/999')).body.error.code).toBe('RUN_NOT_FOUND');
    expect((await c.json<ApiError>('POST', '/api/runs/999/retry')).status).toBe(404);
    const limit = await c.json<ApiError>('GET', '/api/runs?limit=lots');
    expect(limit.body.error.fields).toEqual([{ field: 'limit', reason: 'must be a whole number from 1 to 500' }]);
    expect(
      (await c.json<ApiError>('POST', '/api/sync/start', { skipChecks: 'yes' })).body.error.fields?.[0].field,
    ).toBe('skipChecks');
  });
});
