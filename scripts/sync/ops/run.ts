import { listRuns } from '../history';
import { retryRun, runSync, RunSummary } from '../push';
import type { Store } from '../store';
import { acquireLock } from './lock';
import { openSession, SessionOptions } from './session';

export type SyncProgress = NonNullable<Parameters<typeof runSync>[0]['onProgress']>;
export type { RunSummary };

export interface SyncOnceOptions extends SessionOptions {
  /** Push everything again (a full backfill) instead of what changed since the last run. */
  backfill?: boolean;
  onProgress?: SyncProgress;
  signal?: AbortSignal;
  now?: Date;
}

/** True once a backfill has finished (even with failed records: those are retried, not re-backfilled). */
export function hasBackfilled(store: Store): boolean {
  return listRuns(store, 1000).some(
    (r) => r.type === 'backfill' && (r.status === 'Succeeded' || r.status === 'PartiallyFailed'),
  );
}

/**
 * One pass and out: a backfill when asked or never done, else an incremental sync. Holds the state
 * directory's lock; a revoked connection surfaces as REFRESH_TOKEN_REVOKED (exit 3).
 */
export async function syncOnce(opts: SyncOnceOptions): Promise<RunSummary> {
  const lock = acquireLock(opts.stateDir, 'sync');
  try {
    const session = await openSession(opts);
    try {
      const type = opts.backfill || !hasBackfilled(session.store) ? 'backfill' : 'incremental';
      const summary = await runSync({
        store: session.store,
        connection: session.opened.connection,
        config: session.config,
        type,
        now: opts.now,
        onProgress: opts.onProgress,
        signal: opts.signal,
      });
      const failure = session.opened.renewalFailure();
      if (failure) throw failure;
      return summary;
    } finally {
      session.close();
    }
  } finally {
    lock.release();
  }
}

export interface RetryOptions extends SessionOptions {
  runId: number;
  onProgress?: SyncProgress;
  signal?: AbortSignal;
}

/** Re-pushes the failed records of a run (after the cause was fixed). */
export async function retryFailedRecords(opts: RetryOptions): Promise<RunSummary> {
  const lock = acquireLock(opts.stateDir, 'retry');
  try {
    const session = await openSession(opts);
    try {
      const summary = await retryRun({
        store: session.store,
        connection: session.opened.connection,
        config: session.config,
        runId: opts.runId,
        onProgress: opts.onProgress,
        signal: opts.signal,
      });
      const failure = session.opened.renewalFailure();
      if (failure) throw failure;
      return summary;
    } finally {
      session.close();
    }
  } finally {
    lock.release();
  }
}

/** Exit status of a finished run: 1 when records failed, else 0. */
export function runExitCode(summary: RunSummary): 0 | 1 {
  return summary.status === 'Failed' || summary.status === 'PartiallyFailed' ? 1 : 0;
}
