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

type Session = Awaited<ReturnType<typeof openSession>>;
type Emit = (event: ScheduleEvent) => void;

/** What the schedule owes now, if anything: a backfill first, a daily rescore, else an incremental. */
async function dueRunType(
  session: Session,
  now: number,
  lastRunAt: number,
  lastRescoreAt: number,
  intervalMs: number,
  rescoreEveryMs: number,
): Promise<LoopRunType | undefined> {
  if (now - lastRunAt < intervalMs) return undefined;
  if (!(await hasBackfilled(session.store))) return 'backfill';
  return now - lastRescoreAt >= rescoreEveryMs ? 'rescore' : 'incremental';
}

/**
 * Brings the store up to date with the live source before a scheduled run (same lock, same store).
 * Returns false when a signal stopped it; a source failure other than that ends the schedule.
 */
async function catchUpSource(
  opts: ScheduleOptions,
  session: Session,
  config: ReturnType<typeof loadConfig>,
  emit: Emit,
): Promise<boolean> {
  const { store } = session;
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
    if (opts.signal.aborted) return false;
    await recordEvent(store, 'stopped', `Scheduled syncs stopped: ${(err as Error).message}`);
    throw err;
  }
  return !opts.signal.aborted;
}

/** One run of the loop: a requested retry, or a run of `type` after a cheap call that notices a revoked token. */
function executeRun(
  opts: ScheduleOptions,
  session: Session,
  config: ReturnType<typeof loadConfig>,
  type: LoopRunType,
  request: ScheduleRequest | undefined,
  now: Date,
): Promise<RunSummary> {
  const { store, opened } = session;
  const common = {
    store,
    connection: opened.connection,
    config,
    onProgress: opts.onProgress,
    signal: opts.signal,
    tuning: opts.tuning,
  };
  return withRenewalCheck(opened, async () => {
    if (request?.type === 'retry') return retryRun({ ...common, runId: request.runId });
    // One cheap REST call per run (userinfo answers 403, which never triggers a renewal), so
    // a revoked token is noticed even when nothing changed.
    await opened.connection.request(`/services/data/v${apiVersion()}/limits`).catch(() => undefined);
    return runSync({ ...common, type: type as ScheduledRunType | 'rematch', now });
  });
}

/** The run-error event for a failure the next interval may get past (a limit, an outage). */
function runError(type: LoopRunType, err: unknown): ScheduleEvent {
  return {
    type: 'run-error',
    runType: type,
    code: err instanceof TightknitError ? err.code : 'UNEXPECTED',
    message: err instanceof Error ? err.message : String(err),
    actions: err instanceof TightknitError ? err.actions : [],
  };
}

async function loop(opts: ScheduleOptions, lock: SyncLock): Promise<ScheduleResult> {
  try {
    const session = await openSession(opts);
    try {
      return await scheduleRuns(opts, lock, session);
    } finally {
      await session.close();
    }
  } finally {
    lock.release();
  }
}

async function scheduleRuns(opts: ScheduleOptions, lock: SyncLock, session: Session): Promise<ScheduleResult> {
  const clock = opts.clock ?? ((): Date => new Date());
  const tickMs = opts.tickMs ?? 5000;
  const emit: Emit = opts.onEvent ?? ((): void => undefined);
  const runs: RunSummary[] = [];
  const { store } = session;
  const lastRescore = await store.ledger.lastRun('rescore');
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
    const type =
      request?.type ??
      (await dueRunType(session, now, lastRunAt, lastRescoreAt, intervalMs, opts.rescoreEveryMs ?? DAY_MS));
    if (!type) {
      if (!announcedWait) {
        emit({ type: 'waiting', nextRunAt: new Date(lastRunAt + intervalMs).toISOString() });
        announcedWait = true;
      }
      await sleep(Math.min(tickMs, Math.max(1, lastRunAt + intervalMs - now)), opts.signal);
      continue;
    }
    if (!request && type !== 'rescore' && !(await catchUpSource(opts, session, config, emit))) break;
    emit({ type: 'run-started', runType: type, ...(request?.type === 'retry' ? { retryOf: request.runId } : {}) });
    let summary: RunSummary;
    try {
      summary = await executeRun(opts, session, config, type, request, clock());
    } catch (err) {
      if (opts.signal.aborted) break;
      if (err instanceof TightknitError && err.code === 'REFRESH_TOKEN_REVOKED') {
        await recordEvent(store, 'stopped', `Scheduled syncs stopped: ${err.message}`);
        throw err;
      }
      // Anything else is reported; the next interval tries again.
      if (!request) lastRunAt = clock().getTime();
      announcedWait = false;
      emit(runError(type, err));
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
  await recordEvent(store, 'stopped', 'Scheduled syncs stopped by a signal after finishing the current step.');
  emit({ type: 'stopped', reason: 'signal' });
  return { runs, reason: 'signal' };
}
