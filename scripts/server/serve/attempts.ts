import type { Pool } from 'pg';
import type { RunRequest } from '../queue/runs';
import type { TenantPassResult } from './runner';

/** One attempt at a queued run, as run_attempts records it. */
export interface AttemptKey {
  jobId: string;
  attempt: number;
}

/**
 * Records that this worker started an attempt (a retried job gets a new row). Earlier attempts of the
 * job still marked Running belonged to a worker that died: they become Lost.
 */
export async function startAttempt(pool: Pool, key: AttemptKey, request: RunRequest, worker: string): Promise<void> {
  await pool.query(
    `UPDATE run_attempts SET status = 'Lost', waiting = NULL, finished_at = now(),
       message = 'The worker stopped heartbeating; the queue retried the run.'
     WHERE job_id = $1 AND attempt < $2 AND status = 'Running'`,
    [key.jobId, key.attempt],
  );
  await pool.query(
    `INSERT INTO run_attempts (job_id, attempt, tenant_id, type, due_at, status, worker)
     VALUES ($1, $2, $3, $4, $5, 'Running', $6)
     ON CONFLICT (job_id, attempt) DO UPDATE SET started_at = now(), status = 'Running', worker = $6`,
    [key.jobId, key.attempt, request.tenantId, request.type, request.dueAt ?? null, worker],
  );
}

/**
 * The run an earlier attempt of this job finished, if one did. A job whose attempt ended Succeeded or
 * PartiallyFailed but whose completion never reached the queue (the database went away in between) is
 * given to a worker again once its heartbeat is missed: the pass must not run twice.
 */
export async function finishedRunOf(pool: Pool, jobId: string): Promise<number | undefined> {
  const { rows } = await pool.query<{ run_id: string | null }>(
    `SELECT run_id FROM run_attempts WHERE job_id = $1 AND status IN ('Succeeded', 'PartiallyFailed') LIMIT 1`,
    [jobId],
  );
  return rows[0] ? Number(rows[0].run_id) : undefined;
}

/** The pass's own result: its run, status and the records it pushed (succeeded, all objects). */
export async function finishAttempt(pool: Pool, key: AttemptKey, result: TenantPassResult): Promise<void> {
  const pushed = Object.values(result.counts).reduce((n, c) => n + (c?.succeeded ?? 0), 0);
  await pool.query(
    `UPDATE run_attempts SET status = $3, run_id = $4, records_pushed = $5, waiting = NULL, finished_at = now()
     WHERE job_id = $1 AND attempt = $2`,
    [key.jobId, key.attempt, result.status, result.runId, pushed],
  );
}

/** An attempt that ended without a result: `Failed` with a (scrubbed) message, or `HandedBack`. */
export async function endAttempt(
  pool: Pool,
  key: AttemptKey,
  status: 'Failed' | 'HandedBack',
  message: string,
): Promise<void> {
  await pool.query(
    `UPDATE run_attempts SET status = $3, message = $4, waiting = NULL, finished_at = now()
     WHERE job_id = $1 AND attempt = $2`,
    [key.jobId, key.attempt, status, message],
  );
}

/** What the attempt waits for (shown instead of Running), or null when it goes on. */
export async function setAttemptWaiting(pool: Pool, key: AttemptKey, reason: string | null): Promise<void> {
  await pool.query('UPDATE run_attempts SET waiting = $3 WHERE job_id = $1 AND attempt = $2', [
    key.jobId,
    key.attempt,
    reason,
  ]);
}

/** Finished attempts kept per tenant in run_attempts; older ones are pruned (see pruneAttempts). */
export const ATTEMPTS_KEPT = 500;

/**
 * Keeps the tenant's attempt history bounded: deletes its finished attempts beyond the newest `keep`,
 * never a running one nor its newest successful one (the lag metric is measured from it), and adds
 * what they counted (attempts and records pushed, by status) to run_attempts_pruned, so /metrics'
 * totals stay whole. One statement, so a crash between the two halves cannot lose a count. Returns the
 * number of attempts deleted.
 */
export async function pruneAttempts(pool: Pool, tenantId: number, keep = ATTEMPTS_KEPT): Promise<number> {
  const { rows } = await pool.query<{ deleted: string }>(
    `WITH last_ok AS (
       SELECT job_id, attempt FROM run_attempts
        WHERE tenant_id = $1 AND status IN ('Succeeded', 'PartiallyFailed')
        ORDER BY started_at DESC, attempt DESC LIMIT 1
     ), old AS (
       SELECT job_id, attempt FROM run_attempts
        WHERE tenant_id = $1 AND status <> 'Running'
        ORDER BY started_at DESC, attempt DESC OFFSET $2
     ), gone AS (
       DELETE FROM run_attempts r USING old
        WHERE r.job_id = old.job_id AND r.attempt = old.attempt
          AND NOT EXISTS (SELECT 1 FROM last_ok k WHERE k.job_id = r.job_id AND k.attempt = r.attempt)
       RETURNING r.status, r.records_pushed
     ), sums AS (
       SELECT status, count(*) AS n, sum(records_pushed) AS pushed FROM gone GROUP BY status
     ), kept AS (
       INSERT INTO run_attempts_pruned AS p (tenant_id, status, attempts, records_pushed)
       SELECT $1, status, n, pushed FROM sums
       ON CONFLICT (tenant_id, status) DO UPDATE
         SET attempts = p.attempts + excluded.attempts, records_pushed = p.records_pushed + excluded.records_pushed
     )
     SELECT coalesce(sum(n), 0) AS deleted FROM sums`,
    [tenantId, keep],
  );
  return Number(rows[0].deleted);
}
