import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { startEmulators, type EmulatorFleet } from '../../../org-emulator';
import { revokeToken } from '../../../sync/connection/token-endpoint';
import { usePostgres } from '../../../test-support/postgres';
import { migrate } from '../../db/migrate';
import { RunQueue } from '../../queue/runs';
import { setSchedule } from '../../queue/schedule';
import { resolveMasterKeys } from '../../secrets/master-key';
import { PgStore } from '../../store';
import { addTenant } from '../../tenants';
import { loadTenantCredentials } from '../../tenant-state/credentials';
import type { TenantRef } from '../../tenant-state/tenant-ref';
import { startServerProcess, type ServerProcess } from '../process';
import { productionRunner } from '../production-runner';
import { attempts, captureLog, connectToEmulator, FAST, ingestSample, ledgerRuns, until } from './support';

const ACTIVITY = 'tightknit__Activity__c';
const MEMBER = 'tightknit__Member__c';

/** Connects the tenant to an emulated org as the web flow leaves it: a refresh token and an access token. */
describe('the production pass: a worker syncs a tenant’s PgStore into its org', () => {
  // Before usePostgres: hooks run in order, and the database is dropped in its own afterAll.
  afterAll(async () => {
    await queue?.stop();
    await proc?.stop();
    await fleet?.close();
    await pool?.end();
  });
  const pg = usePostgres();
  const keys = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: randomBytes(32).toString('base64') });
  let pool: Pool;
  let fleet: EmulatorFleet;
  let acme: TenantRef;
  let beta: TenantRef;
  let queue: RunQueue;
  let proc: ServerProcess;
  const { log, lines } = captureLog();

  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    await migrate(pool);
    fleet = await startEmulators({ orgs: 2 });
    acme = (await addTenant(pool, keys, 'acme')).tenant;
    beta = (await addTenant(pool, keys, 'beta')).tenant;
    for (const t of [acme, beta]) {
      await ingestSample(pool, t);
    }
    await connectToEmulator(pool, keys, acme, fleet.orgs[0]);
    queue = await RunQueue.open(pg.url);
    proc = await startServerProcess({
      url: pg.url,
      runner: productionRunner({
        keys,
        budget: { reserve: 0.2 },
        passRequests: 7,
        tuning: { poll: { initialMs: 20, maxMs: 100, timeoutMs: 30_000 } },
      }),
      log,
      concurrency: 2,
      tuning: FAST,
    });
  }, 120_000);

  /** The attempts of `tenant`'s job once it has settled (not Running). */
  async function settled(tenantId: number, jobId: string) {
    return until(async () => {
      const row = (await attempts(pool, tenantId)).filter((a) => a.job_id === jobId).pop();
      return row && row.status !== 'Running' ? row : undefined;
    }, 90);
  }

  it('takes the queued backfill: every record of the community lands in the emulated org', async () => {
    const store = PgStore.open(pool, acme.id, acme.name);
    const counts = await store.counts();
    const jobId = await queue.enqueue({ tenantId: acme.id, type: 'incremental' });
    const done = await settled(acme.id, jobId);
    expect(done).toMatchObject({ status: 'Succeeded', type: 'incremental' });
    // Never backfilled: the pass backfills whatever the job said.
    expect(await ledgerRuns(pool, acme.id)).toEqual([{ type: 'backfill', status: 'Succeeded' }]);
    const org = fleet.orgs[0].org;
    expect(org.records(MEMBER)).toHaveLength(counts.member);
    expect(org.records(ACTIVITY)).toHaveLength(counts.activity);
    expect(fleet.orgs[1].org.records(ACTIVITY)).toHaveLength(0);
    const { rows } = await pool.query<{ records_pushed: string }>(
      'SELECT records_pushed FROM run_attempts WHERE job_id = $1',
      [jobId],
    );
    expect(Number(rows[0].records_pushed)).toBeGreaterThanOrEqual(counts.member + counts.activity);
    // The budget of the org (keyed by tenants.org) was read and taken from.
    const budget = await pool.query<{ org: string }>('SELECT org FROM org_api_budget');
    expect(budget.rows.map((r) => r.org)).toEqual([(await loadTenantCredentials(pool, keys, acme)).orgId]);
  }, 120_000);

  it('a second run is incremental and pushes nothing new; an expired access token is renewed and stored sealed', async () => {
    const before = await loadTenantCredentials(pool, keys, acme);
    fleet.orgs[0].expireAccessTokens();
    const calls = fleet.orgs[0].org.records(ACTIVITY).length;
    // A fresh reading of /limits, so the pass takes from it without reading again: its 7 requests show.
    await pool.query('UPDATE org_api_budget SET remaining = reserve + 1000, read_at = now(), wait_until = NULL');
    const jobId = await queue.enqueue({ tenantId: acme.id, type: 'incremental' });
    expect(await settled(acme.id, jobId)).toMatchObject({ status: 'Succeeded' });
    const taken = await pool.query<{ left: number }>('SELECT remaining - reserve AS left FROM org_api_budget');
    expect(taken.rows.map((r) => r.left)).toEqual([993]);
    expect((await ledgerRuns(pool, acme.id)).map((r) => r.type)).toEqual(['backfill', 'incremental']);
    const { rows } = await pool.query<{ records_pushed: string }>(
      'SELECT records_pushed FROM run_attempts WHERE job_id = $1',
      [jobId],
    );
    expect(Number(rows[0].records_pushed)).toBe(0);
    expect(fleet.orgs[0].org.records(ACTIVITY)).toHaveLength(calls);
    const after = await loadTenantCredentials(pool, keys, acme);
    expect(after.secrets.accessToken).not.toBe(before.secrets.accessToken);
    expect(after.secrets.refreshToken).toBe(before.secrets.refreshToken);
    const dump = await pool.query<{ row: string }>('SELECT t::text AS row FROM tenant_secrets t');
    expect(dump.rows.map((r) => r.row).join('\n')).not.toContain(after.secrets.accessToken);
  }, 120_000);

  it('a tenant whose token was revoked fails with the fix, once, its schedule paused; the other tenant’s run succeeds', async () => {
    const emu = fleet.orgs[1];
    const tokens = await connectToEmulator(pool, keys, beta, emu);
    await setSchedule(pool, beta.id, { enabled: true, intervalMinutes: 60 });
    await revokeToken(emu.loginUrl, tokens.refreshToken);
    emu.expireAccessTokens();
    const revokedJob = await queue.enqueue({ tenantId: beta.id, type: 'backfill' });
    const okJob = await queue.enqueue({ tenantId: acme.id, type: 'incremental' });
    const failed = await settled(beta.id, revokedJob);
    expect(failed.status).toBe('Failed');
    expect(failed.message).toContain('no longer accepts the stored connection');
    expect(failed.message).toContain('reconnect');
    expect(await settled(acme.id, okJob)).toMatchObject({ status: 'Succeeded' });
    // Not retried: the job failed for good and went to the dead letters; one attempt only.
    const job = await until(async () => {
      const r = await pool.query<{ state: string }>(
        "SELECT state FROM pgboss.job WHERE id = $1 AND name = 'tenant-runs'",
        [revokedJob],
      );
      return r.rows[0]?.state === 'failed' && r.rows[0];
    }, 30);
    expect(job.state).toBe('failed');
    expect((await attempts(pool, beta.id)).filter((a) => a.job_id === revokedJob)).toHaveLength(1);
    const schedule = await pool.query<{ enabled: boolean }>(
      'SELECT enabled FROM tenant_schedules WHERE tenant_id = $1',
      [beta.id],
    );
    expect(schedule.rows[0].enabled).toBe(false);
    // The worker's own change is in the tenant's audit trail, with the reason (and never a token).
    const audit = await pool.query<{ actor: string; action: string; details: { reason: string } }>(
      'SELECT actor, action, details FROM audit_events WHERE tenant_id = $1',
      [beta.id],
    );
    expect(audit.rows).toEqual([
      { actor: 'worker', action: 'pause', details: { reason: expect.stringContaining('connect') as string } },
    ]);
    expect(emu.org.records(ACTIVITY)).toHaveLength(0);
    // The log names the tenant and the code, never a token.
    const entry = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'run failed');
    expect(entry).toMatchObject({ tenant: 'beta', final: true, err: { code: 'REFRESH_TOKEN_REVOKED' } });
    expect(lines.join('\n')).not.toContain(tokens.refreshToken);
  }, 120_000);
});
