import { TightknitError, UsageError } from '../errors';
import { retryRun, runSync, type PushTuning, type RunSummary } from '../push';
import type { OpenedConnection } from '../connection/open';
import type { AsyncStore } from '../store';
import { hasSlackCredentials } from '../connection/slack-files';
import type { CatchUpOptions } from './live-source';
import type { SourceCatchUp } from './live-source-summary';
import { acquireLock } from './lock';
import { openSession, SessionOptions } from './session';

export type SyncProgress = NonNullable<Parameters<typeof runSync>[0]['onProgress']>;
export type { RunSummary };

/**
 * The live source's code, loaded only when a Slack workspace is connected (the Slack client weighs about
 * 10 MB of memory that no other run needs). A CommonJS require: the launcher's tsx hook serves require().
 */
function loadLiveSource(): typeof import('./live-source.js') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./live-source') as typeof import('./live-source.js');
}

export interface SourceHooks {
  /** Told what the live source brought in before the push (when a Slack workspace is connected). */
  onSourceCaughtUp?: (catchUp: SourceCatchUp) => void;
  /** Told when the live source failed for a passing reason (an outage, or a fault of ours): the push goes on. */
  onSourceError?: (err: TightknitError) => void;
}

/**
 * Before a push (`sync` and every scheduled run): brings the store up to date with the live source when
 * a Slack workspace is connected. A refused token (exit 3) throws: Slack will refuse every read until the
 * workspace is connected again. Any other failure is told and the push goes on with what the store has.
 */
export async function catchUpBeforePush(opts: CatchUpOptions, hooks: SourceHooks): Promise<void> {
  if (!hasSlackCredentials(opts.stateDir)) return;
  try {
    const catchUp = await loadLiveSource().catchUpLiveSource(opts);
    if (catchUp) hooks.onSourceCaughtUp?.(catchUp);
  } catch (err) {
    if (err instanceof TightknitError && err.exitCode === 3) throw err;
    hooks.onSourceError?.(
      err instanceof TightknitError
        ? err
        : new TightknitError(
            'UNEXPECTED',
            `Reading Slack failed: ${err instanceof Error ? err.message : String(err)}`,
            1,
            {
              actions: ['The next run reads Slack again; if this repeats, report the message above.'],
              cause: err,
            },
          ),
    );
  }
}

export interface SyncOnceOptions extends SessionOptions, SourceHooks {
  /** Push everything again (a full backfill) instead of what changed since the last run. */
  backfill?: boolean;
  /** Look every unlocked member up again with the current match rules, and push the links that change. */
  rematch?: boolean;
  onProgress?: SyncProgress;
  signal?: AbortSignal;
  now?: Date;
  /** Push knobs (tests poll the emulator quickly). */
  tuning?: Partial<PushTuning>;
}

/**
 * Runs a push; when the org refused because the stored connection could not be renewed (a revoked
 * refresh token), that reason replaces whatever the request reported, so the front end says "reconnect".
 */
export async function withRenewalCheck<T>(opened: OpenedConnection, push: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await push();
  } catch (err) {
    throw opened.renewalFailure() ?? err;
  }
  const failure = opened.renewalFailure();
  if (failure) throw failure;
  return result;
}

/**
 * True when the latest backfill finished (even with failed records: those are retried, not
 * re-backfilled). A backfill that was stopped or failed is done again. Asks the ledger for the one
 * latest backfill, so months of incremental runs do not push it out of sight.
 */
export async function hasBackfilled(store: AsyncStore): Promise<boolean> {
  const last = await store.ledger.lastRun('backfill');
  return last !== undefined && (last.status === 'Succeeded' || last.status === 'PartiallyFailed');
}

/**
 * One pass and out: a backfill when asked or never done, a rematch when asked, else an incremental sync. Holds the state
 * directory's lock; a revoked connection surfaces as REFRESH_TOKEN_REVOKED (exit 3).
 */
export async function syncOnce(opts: SyncOnceOptions): Promise<RunSummary> {
  const lock = acquireLock(opts.stateDir, 'sync');
  try {
    const session = await openSession(opts);
    try {
      const type = opts.rematch
        ? 'rematch'
        : opts.backfill || !(await hasBackfilled(session.store))
          ? 'backfill'
          : 'incremental';
      // A pass of `sync` starts like a scheduled run: the live source (if connected) brings the store up to date.
      if (type !== 'rematch') {
        await catchUpBeforePush(
          {
            stateDir: opts.stateDir,
            store: session.store,
            config: session.config,
            key: opts.key,
            signal: opts.signal,
            now: opts.now,
          },
          opts,
        );
      }
      if (type === 'rematch' && !(await hasBackfilled(session.store))) {
        throw new UsageError(
          'NOTHING_TO_REMATCH',
          'No member has been pushed to the org yet, so there is nothing to re-match.',
          {
            actions: ['Run `tightknit-sync sync` first: the backfill matches every member with the current rules.'],
          },
        );
      }
      return await withRenewalCheck(session.opened, () =>
        runSync({
          store: session.store,
          connection: session.opened.connection,
          config: session.config,
          type,
          now: opts.now,
          onProgress: opts.onProgress,
          signal: opts.signal,
          tuning: opts.tuning,
        }),
      );
    } finally {
      await session.close();
    }
  } finally {
    lock.release();
  }
}

export interface RetryOptions extends SessionOptions {
  runId: number;
  onProgress?: SyncProgress;
  signal?: AbortSignal;
  tuning?: Partial<PushTuning>;
}

/**
 * Re-pushes the failed records of a run (after the cause was fixed). The lock is taken before the
 * promise is returned, so a busy state directory throws at the call (a console answers 409 at once).
 */
export function retryFailedRecords(opts: RetryOptions): Promise<RunSummary> {
  const lock = acquireLock(opts.stateDir, 'retry');
  const work = async (): Promise<RunSummary> => {
    const session = await openSession(opts);
    try {
      return await withRenewalCheck(session.opened, () =>
        retryRun({
          store: session.store,
          connection: session.opened.connection,
          config: session.config,
          runId: opts.runId,
          onProgress: opts.onProgress,
          signal: opts.signal,
          tuning: opts.tuning,
        }),
      );
    } finally {
      await session.close();
    }
  };
  return work().finally(() => lock.release());
}

/** Exit status of a finished run: 1 when records failed, else 0. */
export function runExitCode(summary: RunSummary): 0 | 1 {
  return summary.status === 'Failed' || summary.status === 'PartiallyFailed' ? 1 : 0;
}
