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
