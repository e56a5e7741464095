/**
 * What the CLI's per-community commands need in server mode beyond the server's entry: one tenant's
 * store, the tenant's registry row and schedule, and the run queue seen from a terminal (queue a run,
 * wait for a worker's result). The CLI loads this module only when --database is given.
 */
import type { Pool } from 'pg';
import { recordEvent } from '../../sync/history';
import { hasBackfilled } from '../../sync/ops/run';
import type { AsyncStore } from '../../sync/store/async';
import { setSchedule, type ScheduleSettings } from '../queue/schedule';
import { RunQueue, type RunRequest } from '../queue/runs';
import { PgStore } from '../store';
import type { TenantRef } from '../tenant-state/tenant-ref';

export { auditCli } from './audit';
export { checkTenant } from './check';
export { connectTenantOrg, disconnectTenantOrg } from './org-connection';
export { connectTenantSlack, disconnectTenantSlack } from './slack-connection';
export { retireTenant, type RemovalRevocations } from './removal';

/** The tenant's store on the caller's pool (closing it leaves the pool open). */
export function openTenantStore(pool: Pool, tenant: TenantRef): AsyncStore {
  return PgStore.open(pool, tenant.id, `tenant '${tenant.name}'`);
}

/** Notes the tenant's community name (the first community in its store) in the registry, for `tenants list`. */
export async function noteCommunity(pool: Pool, tenant: TenantRef, store: AsyncStore): Promise<string | null> {
  const name = (await store.changedCommunities(0, 1)).find((c) => !c.deleted)?.row.name ?? null;
  if (name !== null) await pool.query('UPDATE tenants SET community = $2 WHERE id = $1', [tenant.id, name]);
  return name;
}

/**
 * Pauses or resumes a tenant: its registry status (the scheduler queues runs of active tenants only),
 * with the change in its sync history as `pause`/`resume` record it for a state directory.
 */
export async function setTenantPaused(
  pool: Pool,
  tenant: TenantRef,
  paused: boolean,
  reason?: string,
): Promise<{ changed: boolean; status: 'active' | 'paused' }> {
  const [from, to] = paused ? ['active', 'paused'] : ['paused', 'active'];
  const { rowCount } = await pool.query('UPDATE tenants SET status = $3 WHERE id = $1 AND status = $2', [
    tenant.id,
    from,
    to,
  ]);
  const changed = (rowCount ?? 0) > 0;
  if (changed) {
    await recordEvent(
      openTenantStore(pool, tenant),
      paused ? 'paused' : 'resumed',
      paused ? `Scheduled syncs paused${reason ? `: ${reason}` : ''}.` : 'Scheduled syncs resumed.',
    );
  }
  return { changed, status: paused ? 'paused' : 'active' };
}

/** Turns the tenant's schedule on at its interval; the first run is due at once (a backfill if none finished). */
export async function startTenant(
  pool: Pool,
  tenant: TenantRef,
  intervalMinutes: number,
): Promise<{ schedule: ScheduleSettings; firstRun: 'backfill' | 'incremental' }> {
  const schedule = await setSchedule(pool, tenant.id, { enabled: true, intervalMinutes });
  const backfilled = await hasBackfilled(openTenantStore(pool, tenant));
  return { schedule, firstRun: backfilled ? 'incremental' : 'backfill' };
}

/** `sync`'s run type: a backfill when asked for or when none finished yet, else an incremental run. */
export async function passType(pool: Pool, tenant: TenantRef, backfill: boolean): Promise<'backfill' | 'incremental'> {
  if (backfill) return 'backfill';
  return (await hasBackfilled(openTenantStore(pool, tenant))) ? 'incremental' : 'backfill';
}

/** Queues one run of the tenant through pg-boss (the workers take it) and returns the job id. */
export async function enqueueRun(database: string, request: RunRequest): Promise<string> {
  const queue = await RunQueue.open(database);
  try {
    return await queue.enqueue(request);
  } finally {
    await queue.stop(0);
  }
}

/** How a worker's attempt at a queued run ended. */
export interface AttemptOutcome {
  status: string;
  runId: number | null;
  message: string | null;
}

/** Whether an error means the connection to the database was lost (a restart), not a bad statement. */
function connectionLost(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return (
    /^(08|57P)/.test(code) ||
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code) ||
    // A database closed to connections for maintenance (ALLOW_CONNECTIONS false) answers 55000.
    /Connection terminated|not currently accepting connections/i.test((err as Error).message ?? '')
  );
}

/** How long a wait goes on polling while the database does not answer (a restart takes seconds). */
const OUTAGE_TOLERANCE_MS = 120_000;

/**
 * Waits until a worker ends an attempt at job `jobId` with a result (a run's status, or Failed); an
 * attempt handed back by a draining worker is waited past, as the queue gives the job to another.
 * A database restart while waiting is waited out (up to two minutes of lost connections); the run goes
 * on on the workers meanwhile. Resolves undefined when `signal` aborts first.
 */
export async function waitForAttempt(
  pool: Pool,
  jobId: string,
  signal: AbortSignal,
  pollMs = 500,
): Promise<AttemptOutcome | undefined> {
  let lostSince: number | undefined;
  while (!signal.aborted) {
    let rows: Array<{ status: string; run_id: string | null; message: string | null }> = [];
    try {
      ({ rows } = await pool.query<{ status: string; run_id: string | null; message: string | null }>(
        `SELECT status, run_id, message FROM run_attempts
          WHERE job_id = $1 AND status NOT IN ('Running', 'HandedBack', 'Lost')
          ORDER BY attempt DESC LIMIT 1`,
        [jobId],
      ));
      lostSince = undefined;
    } catch (err) {
      lostSince ??= Date.now();
      if (!connectionLost(err) || Date.now() - lostSince > OUTAGE_TOLERANCE_MS) throw err;
    }
    if (rows[0]) {
      return {
        status: rows[0].status,
        runId: rows[0].run_id === null ? null : Number(rows[0].run_id),
        message: rows[0].message,
      };
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
  return undefined;
}
