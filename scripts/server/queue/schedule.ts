import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { UsageError } from '../../sync/errors';
import { inTenantScope } from '../db/tenant-scope';
import { inTransaction } from '../db/transaction';
import type { RunQueue, RunRequest } from './runs';

/** A tenant's schedule: whether its incremental runs are due every `intervalMinutes` (1–1440). */
export interface ScheduleSettings {
  enabled: boolean;
  intervalMinutes: number;
}

/** The interval a tenant's runs take when nobody set one (design.md: every 5 minutes). */
const DEFAULT_INTERVAL_MINUTES = 5;

/**
 * Turns a tenant's schedule on or off and sets its interval (default 5 minutes). Turning it on makes
 * the tenant due at once; `start --tenant` calls this, `pause` turns it off.
 */
export async function setSchedule(
  pool: Pool,
  tenantId: number,
  settings: { enabled: boolean; intervalMinutes?: number },
): Promise<ScheduleSettings> {
  const minutes = settings.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
    throw new UsageError(
      'INTERVAL_INVALID',
      `The sync interval must be a whole number of minutes from 1 to 1440 (got ${minutes}).`,
    );
  }
  const { rows } = await pool.query<{ enabled: boolean; interval_minutes: number }>(
    `INSERT INTO tenant_schedules (tenant_id, enabled, interval_minutes, next_due_at)
     VALUES ($1, $2, $3, now())
     ON CONFLICT (tenant_id) DO UPDATE SET enabled = $2, interval_minutes = $3, updated_at = now(),
       next_due_at = CASE WHEN $2 AND NOT tenant_schedules.enabled THEN now() ELSE tenant_schedules.next_due_at END
     RETURNING enabled, interval_minutes`,
    [tenantId, settings.enabled, minutes],
  );
  return { enabled: rows[0].enabled, intervalMinutes: rows[0].interval_minutes };
}

/** Whether the tenant's ledger has a backfill that finished (read in the tenant's scope, on the pass's connection). */
function hasBackfilled(client: PoolClient, tenantId: number): Promise<boolean> {
  return inTenantScope(client, tenantId, async () => {
    const { rowCount } = await client.query(
      "SELECT 1 FROM ledger_runs WHERE type = 'backfill' AND status IN ('Succeeded', 'PartiallyFailed') LIMIT 1",
    );
    return (rowCount ?? 0) > 0;
  });
}

interface DueRow {
  tenant_id: string;
  interval_minutes: number;
  next_due_at: Date;
  last_job_id: string | null;
}

/** How many due tenants one pass takes; the rest wait for the next pass (a second or so later). */
const BATCH = 100;

/**
 * One scheduler pass: queues a run for every active tenant whose schedule is due, or falls due within
 * `aheadSeconds` (such a run is queued to start at its due time, so a run does not wait for the pass
 * after its due time), in one transaction that locks the due rows with SKIP LOCKED, so schedulers in
 * several processes split the tenants and never queue one twice. A tenant whose previous scheduled job
 * is still queued or running is left due (runs of one tenant never pile up); one that never finished a
 * backfill gets a backfill. Returns the requests it queued.
 */
export function enqueueDue(pool: Pool, queue: RunQueue, aheadSeconds = 0): Promise<RunRequest[]> {
  return inTransaction(pool, async (client) => {
    const queued: RunRequest[] = [];
    const { rows } = await client.query<DueRow>(
      `SELECT s.tenant_id, s.interval_minutes, s.next_due_at, s.last_job_id
         FROM tenant_schedules s JOIN tenants t ON t.id = s.tenant_id
        WHERE s.enabled AND t.status = 'active' AND s.next_due_at <= now() + make_interval(secs => $1)
        ORDER BY s.next_due_at LIMIT ${BATCH}
        FOR UPDATE OF s SKIP LOCKED`,
      [aheadSeconds],
    );
    for (const row of rows) {
      const request = await enqueueOne(client, queue, row);
      if (request) queued.push(request);
    }
    return queued;
  });
}

async function enqueueOne(client: PoolClient, queue: RunQueue, row: DueRow): Promise<RunRequest | null> {
  if (row.last_job_id && (await queue.unfinished(row.last_job_id, client))) return null;
  const tenantId = Number(row.tenant_id);
  const request: RunRequest = {
    tenantId,
    type: (await hasBackfilled(client, tenantId)) ? 'incremental' : 'backfill',
    dueAt: row.next_due_at.toISOString(),
  };
  // The job is queued in this transaction: it exists exactly when the schedule moved on. One due later
  // in this pass's look-ahead waits in the queue for its due time.
  const jobId = await queue.enqueue(request, client, row.next_due_at);
  await client.query(
    // On time, the next run is one interval after this due time; late (the previous run outlasted its
    // interval), one interval from now, so missed slots are not caught up with back-to-back runs.
    `UPDATE tenant_schedules SET last_job_id = $2, next_due_at = CASE
       WHEN next_due_at + make_interval(mins => interval_minutes) > now() THEN next_due_at + make_interval(mins => interval_minutes)
       ELSE now() + make_interval(mins => interval_minutes) END
     WHERE tenant_id = $1`,
    [tenantId, jobId],
  );
  return request;
}

/**
 * Runs `enqueueDue` every `everySeconds`, looking that far ahead, until stopped; a failed pass is logged
 * and the next one tries again.
 */
export function startScheduler(
  pool: Pool,
  queue: RunQueue,
  log: Logger,
  everySeconds: number,
): { stop: () => Promise<void> } {
  let pass: Promise<void> = Promise.resolve();
  let running = false;
  const tick = (): void => {
    // One pass at a time: each pass holds a connection for its transaction, so passes piling up behind a
    // slow database would take the pool's connections from the workers.
    if (running) return;
    running = true;
    pass = enqueueDue(pool, queue, everySeconds)
      .then(
        (queued) => {
          for (const r of queued)
            log.info({ tenantId: r.tenantId, type: r.type, dueAt: r.dueAt }, 'run queued by schedule');
        },
        (err: unknown) => log.error({ err }, 'scheduler pass failed'),
      )
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, everySeconds * 1000);
  tick();
  return {
    stop: async () => {
      clearInterval(timer);
      await pass;
    },
  };
}
