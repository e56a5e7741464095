import type { Pool } from 'pg';
import { OrgRefusedError } from '../../../sync/errors';
import { usePostgres } from '../../../test-support/postgres';
import { WAITING_API_BUDGET } from '../../budget/api-budget';
import { Browser, PEOPLE, seed, testPool } from '../../people/__tests__/helpers';
import { ledgerRunner } from '../../serve/__tests__/ledger-runner';
import { FAST, captureLog, until } from '../../serve/__tests__/support';
import { startServerProcess, type ServerProcess } from '../../serve/process';
import type { TenantPassRunner } from '../../serve/runner';

interface AuditRow {
  actor: string;
  action: string;
  ip: string | null;
  details: Record<string, unknown>;
}

/**
 * The tenant console on serve's port, with a real worker taking the queued runs: each role's answers,
 * the audit trail of every change and refusal, configuration conflicts, dead letters and the budget wait.
 */
describe('the tenant console of serve', () => {
  afterAll(async () => {
    releaseBudget();
    await proc?.stop();
    await pool?.end();
  });
  const pg = usePostgres();
  let pool: Pool;
  let proc: ServerProcess;
  let origin: string;
  let ids: { acme: number; beta: number };
  let releaseBudget: () => void = () => undefined;
  const budgetGate = new Promise<void>((r) => (releaseBudget = r));

  /** A pass doing real ledger work; beta's org refuses the connection (a fix only a person can make); a rematch first waits for the API budget. */
  const base = ledgerRunner({ holdMs: 50 });
  const runner: TenantPassRunner = {
    run: async (input) => {
      if (input.tenant.name === 'beta') {
        throw new OrgRefusedError('REFRESH_TOKEN_REVOKED', 'The org no longer accepts the stored connection.', {
          actions: ['Reconnect the org from the console.'],
        });
      }
      if (input.request.type === 'rematch') {
        await input.setWaiting(WAITING_API_BUDGET);
        await budgetGate;
        await input.setWaiting(null);
      }
      return base.run(input);
    },
  };

  beforeAll(async () => {
    pool = testPool(pg.url);
    ids = await seed(pool);
    // The integrations manager also manages beta.
    await pool.query(
      "INSERT INTO memberships (person_id, tenant_id, role) SELECT id, $1, 'integrations-manager' FROM people WHERE email = $2",
      [ids.beta, PEOPLE['integrations-manager']],
    );
    proc = await startServerProcess({
      url: pg.url,
      runner,
      log: captureLog().log,
      concurrency: 2,
      ops: { port: 0, host: '127.0.0.1' },
      tuning: FAST,
    });
    origin = proc.opsUrl as string;
  }, 60_000);

  async function as(who: keyof typeof PEOPLE): Promise<Browser> {
    const b = new Browser(origin);
    expect((await b.signIn(PEOPLE[who])).status).toBe(303);
    return b;
  }

  const audit = async (action: string, actor?: string): Promise<AuditRow[]> =>
    (
      await pool.query<AuditRow>(
        'SELECT actor, action, ip, details FROM audit_events WHERE action = $1 AND ($2::text IS NULL OR actor = $2) ORDER BY id',
        [action, actor ?? null],
      )
    ).rows;

  const jobsOf = async (tenantId: number): Promise<number> =>
    Number(
      (
        await pool.query<{ n: string }>(
          "SELECT count(*) AS n FROM pgboss.job WHERE name = 'tenant-runs' AND singleton_key = $1",
          [String(tenantId)],
        )
      ).rows[0].n,
    );

  it('lists the tenants a person belongs to, and every tenant for the operator', async () => {
    const names = async (b: Browser): Promise<string[]> =>
      ((await (await b.fetch('/api/tenants')).json()) as { tenants: { name: string }[] }).tenants.map((t) => t.name);
    expect(await names(await as('viewer'))).toEqual(['acme']);
    expect(await names(await as('integrations-manager'))).toEqual(['acme', 'beta']);
    expect(await names(await as('operator'))).toEqual(['acme', 'beta']);
    const status = await (await as('operator')).fetch('/api/tenants/acme/status');
    expect(status.status).toBe(403);
    expect(await status.text()).toContain('needs the viewer role');
  });

  it('a viewer reads the status but cannot sync: 403 naming the role, an audit row, nothing queued', async () => {
    const viewer = await as('viewer');
    const status = (await (await viewer.fetch('/api/tenants/acme/status')).json()) as { state: string };
    expect(status.state).toBe('Not scheduled');
    const res = await viewer.post('/api/tenants/acme/sync');
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('ROLE_REQUIRED');
    expect(body.error.message).toContain('needs the integrations-manager role');
    const denied = await audit('access.denied', PEOPLE.viewer);
    expect(denied.at(-1)).toMatchObject({ ip: '127.0.0.1', details: { operation: 'sync', held: 'viewer' } });
    expect(await jobsOf(ids.acme)).toBe(0);
    // Another tenant's routes are refused too, however the name is spelled.
    const other = await viewer.fetch('/api/tenants/beta/status');
    const missing = await viewer.fetch('/api/tenants/nosuch/status');
    expect([other.status, missing.status]).toEqual([403, 403]);
    // The same answer for a tenant that does not exist: the console does not tell which ones do.
    const message = ((await other.json()) as { error: { message: string } }).error.message;
    expect(message).toBe(
      'status needs the viewer role in this tenant; you hold no role in it (ask one of its admins for an invitation).',
    );
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe(message);
  });

  it('refuses a change without the CSRF token, with an audit row, nothing queued', async () => {
    const im = await as('integrations-manager');
    const res = await im.fetch('/api/tenants/acme/sync', { method: 'POST', json: {} });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CSRF_FAILED');
    expect((await audit('csrf.refused', PEOPLE['integrations-manager'])).at(-1)?.details).toMatchObject({
      operation: 'sync',
      reason: 'no token',
    });
    expect(await jobsOf(ids.acme)).toBe(0);
  });

  it('an integrations manager syncs: the job is queued and audited, a worker runs it, history shows it', async () => {
    const im = await as('integrations-manager');
    const res = await im.post('/api/tenants/acme/sync');
    expect(res.status).toBe(202);
    const queued = (await res.json()) as { jobId: string; type: string };
    expect(queued.type).toBe('backfill');
    const row = (await audit('sync', PEOPLE['integrations-manager'])).at(-1);
    expect(row).toMatchObject({ ip: '127.0.0.1', details: { jobId: queued.jobId, type: 'backfill' } });
    const history = await until(async () => {
      const h = (await (await im.fetch('/api/tenants/acme/history')).json()) as {
        runs: Array<Record<string, unknown> & { status: string; objects: { member: { succeeded: number } } }>;
      };
      return h.runs[0]?.status === 'Succeeded' ? h : undefined;
    }, 30);
    const run = history.runs[0];
    expect(Object.keys(run)).toEqual(expect.arrayContaining(['startedAt', 'finishedAt', 'status', 'type', 'objects']));
    expect(run).toMatchObject({ type: 'backfill', status: 'Succeeded' });
    expect(run.objects.member.succeeded).toBe(3);
    const status = (await (await im.fetch('/api/tenants/acme/status')).json()) as {
      lastRun: { runId: number };
      lagSeconds: number;
    };
    expect(status.lastRun.runId).toBe(run.runId);
    expect(status.lagSeconds).toBeGreaterThanOrEqual(0);
    const investigation = (await (await im.fetch(`/api/tenants/acme/investigate?run=${String(run.runId)}`)).json()) as {
      run: { runId: number };
    };
    expect(investigation.run.runId).toBe(run.runId);
  }, 60_000);

  it('retry needs a run of the tenant: an unknown one is 404, a known one is queued', async () => {
    const im = await as('integrations-manager');
    const missing = await im.post('/api/tenants/acme/retry', { runId: 999 });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('RUN_NOT_FOUND');
    const runId = ((await (await im.fetch('/api/tenants/acme/history')).json()) as { runs: { runId: number }[] })
      .runs[0].runId;
    const res = await im.post('/api/tenants/acme/retry', { runId });
    expect(res.status).toBe(202);
    expect((await audit('retry')).at(-1)?.details).toMatchObject({ retryOf: runId, type: 'retry' });
  });

  it('two people saving the configuration at once: the second gets 409 with what changed; the audit has before/after', async () => {
    const im = await as('integrations-manager');
    const admin = await as('admin');
    const read = (await (await admin.fetch('/api/tenants/acme/configuration')).json()) as { version: number };
    const put = (b: Browser, changes: unknown) =>
      b.fetch('/api/tenants/acme/configuration', {
        method: 'PUT',
        json: { version: read.version, changes },
        headers: { 'x-csrf-token': b.csrf },
      });
    const first = await put(im, { intervalMinutes: 10 });
    expect(first.status).toBe(200);
    const second = await put(admin, { createContacts: true });
    expect(second.status).toBe(409);
    const conflict = (await second.json()) as { error: { code: string }; changed: string[]; currentVersion: number };
    expect(conflict).toMatchObject({
      error: { code: 'CONFIG_CHANGED' },
      changed: ['intervalMinutes'],
      currentVersion: read.version + 1,
    });
    const saved = (await (await admin.fetch('/api/tenants/acme/configuration')).json()) as {
      config: { intervalMinutes: number; createContacts: boolean };
    };
    expect(saved.config).toMatchObject({ intervalMinutes: 10, createContacts: false });
    expect((await audit('configure')).map((r) => [r.actor, r.details])).toEqual([
      [
        PEOPLE['integrations-manager'],
        { version: read.version + 1, changes: { intervalMinutes: { before: 5, after: 10 } } },
      ],
    ]);
    // A value the configuration refuses: 400 with the reason, nothing saved.
    const invalid = await im.fetch('/api/tenants/acme/configuration', {
      method: 'PUT',
      json: { version: read.version + 1, changes: { intervalMinutes: 0 } },
      headers: { 'x-csrf-token': im.csrf },
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { message: string } }).error.message).toContain('intervalMinutes');
  });

  it('pause and resume change the tenant and are audited', async () => {
    const im = await as('integrations-manager');
    // The retry queued above may still be queued, starting, running or waiting for its next attempt:
    // any of them would show instead of Paused (a paused schedule does not hold back a one-off run).
    await until(async () => {
      const s = (await (await im.fetch('/api/tenants/acme/status')).json()) as { state: string };
      return /^(Running|Starting|Queued|Retrying)/.test(s.state) ? undefined : s;
    }, 60);
    expect((await im.post('/api/tenants/acme/pause', { reason: 'org maintenance' })).status).toBe(200);
    const paused = (await (await im.fetch('/api/tenants/acme/status')).json()) as { state: string };
    expect(paused.state).toBe('Paused');
    expect((await im.post('/api/tenants/acme/resume')).status).toBe(200);
    expect((await audit('pause')).at(-1)?.details).toEqual({ changed: true, reason: 'org maintenance' });
    expect((await audit('resume')).at(-1)?.details).toEqual({ changed: true });
    expect((await im.post('/api/tenants/acme/start')).status).toBe(200);
    expect((await audit('start')).at(-1)?.details).toMatchObject({ intervalMinutes: 10, firstRun: 'incremental' });
  });

  it('a run that failed with a fix only a person can make shows as dead-lettered, with the fix', async () => {
    const im = await as('integrations-manager');
    expect((await im.post('/api/tenants/beta/sync')).status).toBe(202);
    const status = await until(async () => {
      const s = (await (await im.fetch('/api/tenants/beta/status')).json()) as {
        state: string;
        nextStep: string;
        deadLetters: { message: string }[];
      };
      return s.deadLetters.length > 0 ? s : undefined;
    }, 30);
    expect(status.state).toBe('Needs attention: a run failed for good');
    expect(status.deadLetters[0].message).toContain('Reconnect the org from the console.');
    expect(status.nextStep).toContain('Reconnect the org');
    const list = (await (await im.fetch('/api/tenants')).json()) as { tenants: { name: string; state: string }[] };
    expect(list.tenants.find((t) => t.name === 'beta')?.state).toBe('Needs attention: 1 run(s) failed for good');
    const html = await (await im.fetch('/tenants/beta', { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('data-id="dead-letters"');
  }, 60_000);

  it('a run waiting for the API budget says so (the rematch is audited)', async () => {
    const im = await as('integrations-manager');
    expect((await im.post('/api/tenants/acme/rematch')).status).toBe(202);
    const status = await until(async () => {
      const s = (await (await im.fetch('/api/tenants/acme/status')).json()) as { state: string };
      return s.state === WAITING_API_BUDGET ? s : undefined;
    }, 30);
    expect(status.state).toBe('Waiting: API budget');
    expect((await audit('rematch', PEOPLE['integrations-manager'])).at(-1)).toMatchObject({
      ip: '127.0.0.1',
      details: { type: 'rematch' },
    });
    releaseBudget();
  }, 60_000);

  it('the tenant page shows a viewer no action and a manager the actions; forms carry the CSRF token', async () => {
    const page = async (who: keyof typeof PEOPLE) => {
      const res = await (await as(who)).fetch('/tenants/acme', { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      return res.text();
    };
    const viewer = await page('viewer');
    expect(viewer).toContain('data-id="state"');
    expect(viewer).not.toContain('data-id="actions"');
    expect(viewer).not.toContain('data-id="configure-form"');
    expect(viewer).not.toContain('<script');
    const manager = await page('integrations-manager');
    expect(manager).toContain('data-id="action-sync"');
    expect(manager).toContain('data-id="configure-form"');
    // A form post (the page's button) answers with the page and a notice.
    const im = await as('integrations-manager');
    const res = await im.fetch('/api/tenants/acme/pause', { method: 'POST', form: { csrf: im.csrf } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Scheduled syncs paused');
    // The configuration form: the version it was read at, the interval and the switches it shows.
    const html = await (await im.fetch('/tenants/acme', { headers: { accept: 'text/html' } })).text();
    const version = /name="version" value="(\d+)"/.exec(html)?.[1] as string;
    const form = { csrf: im.csrf, version, intervalMinutes: '10', has_createContacts: '1', createContacts: 'on' };
    const saved = await im.fetch('/tenants/acme/configuration', { method: 'POST', form });
    expect(await saved.text()).toContain(`Configuration saved as version ${Number(version) + 1}: createContacts.`);
    expect((await audit('configure')).at(-1)?.details).toEqual({
      version: Number(version) + 1,
      changes: { createContacts: { before: false, after: true } },
    });
    // The same form again, from the old version: refused with what changed, nothing saved.
    const stale = await im.fetch('/tenants/acme/configuration', { method: 'POST', form });
    expect(stale.status).toBe(409);
    const staleText = await stale.text();
    expect(staleText).toContain('changed since version');
    expect(staleText).toContain('Back to tenant acme');
  });
});
