import { loadConfig } from '../config';
import { apiVersion } from '../connection/api-version';
import { TightknitError } from '../errors';
import { recordEvent } from '../history';
import type { RunType } from '../ledger';
import { retryRun, runSync, type PushTuning } from '../push';
import { acquireLock, LockInfo, type SyncLock } from './lock';
import { readScheduleState } from './pause';
import type { SourceCatchUp } from './live-source-summary';
import { catchUpBeforePush, hasBackfilled, RunSummary, SyncProgress, withRenewalCheck } from './run';
import { openSession, SessionOptions } from './session';

type ScheduledRunType = Extract<RunType, 'backfill' | 'incremental' | 'rescore'>;
/** A run the loop performs: a scheduled one, or one an operator asked for (the console's Retry and Re-match). */
type LoopRunType = RunType;

/** Work an operator asks the running loop for; it runs before the next scheduled run, paused or not. */
export type ScheduleRequest = { type: 'retry'; runId: number } | { type: 'rematch' };

/** What the loop tells its front end; the CLI turns these into log lines (JSON lines with --json). */
export type ScheduleEvent =
  | { type: 'started'; intervalMinutes: number; paused: boolean; staleLock?: LockInfo }
  | { type: 'run-started'; runType: LoopRunType; retryOf?: number }
  | { type: 'run-finished'; summary: RunSummary }
  /** The live source brought the store up to date before a scheduled run. */
  | { type: 'source-caught-up'; catchUp: SourceCatchUp }
  /** The live source failed for a reason a later tick may not hit (an outage, a limit); the push goes on. */
  | { type: 'source-error'; code: string; message: string; actions: string[] }
  /** A run ended in an error that a later run may not hit (limits, an outage); the loop goes on. */
  | { type: 'run-error'; runType: LoopRunType; code: string; message: string; actions: string[] }
  | { type: 'paused' }
  | { type: 'resumed' }
  | { type: 'waiting'; nextRunAt: string }
  | { type: 'stopped'; reason: StopReason };

type StopReason = 'signal' | 'max-runs';

export interface ScheduleOptions extends SessionOptions {
  /** Abort to stop: the current step finishes (nothing is lost), then the loop returns. */
  signal: AbortSignal;
  onEvent?: (event: ScheduleEvent) => void;
  onProgress?: SyncProgress;
  /** How often the loop looks at the clock and the pause state (default 5 s). */
  tickMs?: number;
  clock?: () => Date;
  /** Stop after this many runs (tests, one-shot scripts). */
  maxRuns?: number;
  /** Rescore period (default 24 h). */
  rescoreEveryMs?: number;
  tuning?: Partial<PushTuning>;
  /**
   * Asked on every tick: an operator's request (a retry) to run now. The loop holds the state
   * directory, so a second front end in the same process hands its work over instead of waiting.
   */
  takeRequest?: () => ScheduleRequest | undefined;
  /** Events reach the inbox in this process (`start --listen` / `--socket-mode`): no Web API polling. */
  liveEvents?: 'http' | 'socket-mode';
}

export interface ScheduleResult {
  runs: RunSummary[];
  reason: StopReason;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The foreground scheduler behind `start`: a backfill if none was ever done, then an incremental sync
 * every interval and a rescore once a day. Pause and resume (a state file) take effect on the next
 * tick; configuration changes on the next run. One instance per state directory (lock file).
 */
export function runSchedule(opts: ScheduleOptions): Promise<ScheduleResult> {
  // Taken before the promise exists: a busy state directory throws at the call.
  const lock = acquireLock(opts.stateDir, 'start');
  return loop(opts, lock);
}

async function loop(opts: ScheduleOptions, lock: SyncLock): Promise<ScheduleResult> {
  const clock = opts.clock ?? ((): Date => new Date());
  const tickMs = opts.tickMs ?? 5000;
  const emit = opts.onEvent ?? ((): void => undefined);
  const runs: RunSummary[] = [];
  try {
    const session = await openSession(opts);
    const { store, opened } = session;
    try {
      const lastRescore = store.ledger.lastRun('rescore');
      let lastRescoreAt = lastRescore ? new Date(lastRescore.startedAt).getTime() : clock().getTime();
      let lastRunAt = Number.NEGATIVE_INFINITY;
      let wasPaused = readScheduleState(opts.stateDir).paused;
      let announcedWait = false;
      emit({
        type: 'started',
        intervalMinutes: session.config.intervalMinutes,
        paused: wasPaused,
        staleLock: lock.staleTakenOver,
      });
      if (wasPaused) emit({ type: 'paused' });

      while (!opts.signal.aborted) {
        const paused = readScheduleState(opts.stateDir).paused;
        if (paused !== wasPaused) {
          emit({ type: paused ? 'paused' : 'resumed' });
          wasPaused = paused;
          announcedWait = false;
        }
        const request = opts.takeRequest?.();
        if (paused && !request) {
          await sleep(tickMs, opts.signal);
          continue;
        }
        const config = loadConfig(opts.stateDir);
        const now = clock().getTime();
        const intervalMs = config.intervalMinutes * 60_000;
        let type: LoopRunType | undefined = request?.type;
        if (!type && now - lastRunAt >= intervalMs) {
          if (!hasBackfilled(store)) type = 'backfill';
          else if (now - lastRescoreAt >= (opts.rescoreEveryMs ?? DAY_MS)) type = 'rescore';
          else type = 'incremental';
        }
        if (!type) {
          if (!announcedWait) {
            emit({ type: 'waiting', nextRunAt: new Date(lastRunAt + intervalMs).toISOString() });
            announcedWait = true;
          }
          await sleep(Math.min(tickMs, Math.max(1, lastRunAt + intervalMs - now)), opts.signal);
          continue;
        }
        // A scheduled run first brings the store up to date with the live source (same lock, same store).
        if (!request && type !== 'rescore') {
          try {
            await catchUpBeforePush(
              {
                stateDir: opts.stateDir,
                store,
                config: opts.liveEvents ? { ...config, slack: { ...config.slack, events: opts.liveEvents } } : config,
                key: opts.key,
                signal: opts.signal,
              },
              {
                onSourceCaughtUp: (catchUp) => emit({ type: 'source-caught-up', catchUp }),
                onSourceError: (err) =>
                  emit({ type: 'source-error', code: err.code, message: err.message, actions: err.actions }),
              },
            );
          } catch (err) {
            if (opts.signal.aborted) break;
            recordEvent(store, 'stopped', `Scheduled syncs stopped: ${(err as Error).message}`);
            throw err;
          }
          if (opts.signal.aborted) break;
        }
        emit({ type: 'run-started', runType: type, ...(request?.type === 'retry' ? { retryOf: request.runId } : {}) });
        let summary: RunSummary;
        try {
          const common = {
            store,
            connection: opened.connection,
            config,
            onProgress: opts.onProgress,
            signal: opts.signal,
            tuning: opts.tuning,
          };
          const runType = type;
          summary = await withRenewalCheck(opened, async () => {
            if (request?.type === 'retry') return retryRun({ ...common, runId: request.runId });
            // One cheap REST call per run (userinfo answers 403, which never triggers a renewal), so
            // a revoked token is noticed even when nothing changed.
            await opened.connection.request(`/services/data/v${apiVersion()}/limits`).catch(() => undefined);
            return runSync({ ...common, type: runType as ScheduledRunType | 'rematch', now: clock() });
          });
        } catch (err) {
          if (opts.signal.aborted) break;
          if (err instanceof TightknitError && err.code === 'REFRESH_TOKEN_REVOKED') {
            recordEvent(store, 'stopped', `Scheduled syncs stopped: ${err.message}`);
            throw err;
          }
          // Anything else (a limit, an outage) is reported; the next interval tries again.
          if (!request) lastRunAt = clock().getTime();
          announcedWait = false;
          emit({
            type: 'run-error',
            runType: type,
            code: err instanceof TightknitError ? err.code : 'UNEXPECTED',
            message: err instanceof Error ? err.message : String(err),
            actions: err instanceof TightknitError ? err.actions : [],
          });
          continue;
        }
        runs.push(summary);
        // A retry is extra work: the schedule's own clock keeps its pace.
        if (!request) lastRunAt = clock().getTime();
        if (type === 'rescore') lastRescoreAt = lastRunAt;
        announcedWait = false;
        emit({ type: 'run-finished', summary });
        if (opts.maxRuns !== undefined && runs.length >= opts.maxRuns) {
          emit({ type: 'stopped', reason: 'max-runs' });
          return { runs, reason: 'max-runs' };
        }
      }
      recordEvent(store, 'stopped', 'Scheduled syncs stopped by a signal after finishing the current step.');
      emit({ type: 'stopped', reason: 'signal' });
      return { runs, reason: 'signal' };
    } finally {
      session.close();
    }
  } finally {
    lock.release();
  }
}
