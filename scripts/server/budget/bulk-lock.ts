import type { Pool } from 'pg';
import { sleep } from '../../sync/salesforce/http';

/** Prefix of the first lock key, so these locks share no key with another use of advisory locks. */
const LOCK_SPACE = 'tightknit-bulk:';

export interface BulkLockOptions {
  /** The org id (18 characters) the Bulk job goes to. */
  org: string;
  /** The object the job loads (e.g. tightknit__Activity__c). */
  object: string;
  /** Aborts the wait (and is passed on to `fn`'s signal). */
  signal?: AbortSignal;
  /** How often a waiting caller tries again. */
  pollMs?: number;
  /** Called once when the lock is held elsewhere and the caller starts waiting. */
  onWait?: () => void;
}

/**
 * Runs `fn` while this process holds the lock of (org, object), so that across every worker at most
 * one Bulk ingest job per object and org runs at a time (parallel jobs on one object contend for the
 * parent records' locks). The lock is a session advisory lock on a connection held for the purpose:
 * a worker that dies, even killed -9, loses its connection and with it the lock. Should that
 * connection break while `fn` runs, `fn`'s signal aborts: the lock is gone, so must the job be.
 */
export async function withBulkLock<T>(
  pool: Pool,
  opts: BulkLockOptions,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const lost = new AbortController();
  const onError = (err: Error): void => lost.abort(err);
  client.on('error', onError);
  const keys = [LOCK_SPACE + opts.org, opts.object];
  let broken = false;
  try {
    let waiting = false;
    for (;;) {
      const { rows } = await client.query<{ held: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS held',
        keys,
      );
      if (rows[0].held) break;
      if (!waiting) opts.onWait?.();
      waiting = true;
      await sleep(opts.pollMs ?? 1000, opts.signal);
    }
    const signal = opts.signal ? AbortSignal.any([opts.signal, lost.signal]) : lost.signal;
    try {
      return await fn(signal);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', keys).catch(() => {
        broken = true;
      });
    }
  } catch (err) {
    broken ||= lost.signal.aborted;
    throw err;
  } finally {
    client.off('error', onError);
    // A connection whose session may still hold the lock is closed, never handed to the next user.
    client.release(broken || lost.signal.aborted);
  }
}
