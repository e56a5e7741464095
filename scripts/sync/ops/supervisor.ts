import { loadConfig, type SyncConfig } from '../config';
import type { LoopState } from '../domain';
import type { OpenedConnection } from '../connection/open';
import type { KeyOptions } from '../connection/encryption';
import { hasSlackCredentials } from '../connection/slack-files';
import { TightknitError, UsageError } from '../errors';
import type { RunType } from '../ledger';
import type { PushProgress, PushTuning } from '../push';
import type { ReceiverLog } from '../sources/slack/events/receiver';
import type { LiveReceiver } from './live-receiver';
import { otherLockHolder } from './lock';
import { preflight, type PreflightOptions } from './preflight';
import { retryFailedRecords, syncOnce, type RunSummary } from './run';
import { runSchedule, type ScheduleEvent, type ScheduleRequest, type ScheduleResult } from './schedule';

/** An error as a front end shows it: code, message, what to do. */
export interface SupervisorError {
  code: string;
  message: string;
  actions: string[];
}

/** The run under way: a scheduled one, or a retry or re-match an operator asked for. */
export interface CurrentRun {
  runType: RunType;
  retryOf?: number;
  startedAt: string;
}

/** The schedule's own events, plus the supervisor's: the receiver, one-off runs, the loop's end. */
export type SupervisorEvent =
  | ScheduleEvent
  /** The Events API receiver of this process is up (before the schedule starts). */
  | { type: 'receiving'; mode: LiveReceiver['mode']; where: string }
  /** A retry or re-match started outside the loop (none was running). */
  | { type: 'one-off-started'; run: CurrentRun }
  | { type: 'one-off-ended'; summary?: RunSummary; error?: SupervisorError }
  /** The loop ended and its receiver is closed; `error` when it ended on an error. */
  | { type: 'loop-ended'; error?: SupervisorError };

export interface SupervisorOptions {
  stateDir: string;
  key?: Omit<KeyOptions, 'stateDir'>;
  tuning?: Partial<PushTuning>;
  /** How often the loop looks at the clock, the pause switch and requests (default: the schedule's 5 s). */
  tickMs?: number;
  onEvent?: (event: SupervisorEvent) => void;
  onProgress?: (progress: PushProgress) => void;
  /** Problems nobody awaits: the loop stopping on an error, a receiver failing to close. */
  log?: (message: string) => void;
  /** How a refusal names this process ("this console"; default "this process"). */
  where?: string;
  /** What a refusal tells the operator to do while a one-off run is under way. */
  waitActions?: string[];
}

export interface SuperviseOptions extends Pick<PreflightOptions, 'skipChecks' | 'onVerify' | 'onChecks'> {
  /** Asked once the checks passed, before anything runs; false: nothing starts and start() resolves false. */
  confirm?: (opened: OpenedConnection, config: SyncConfig) => Promise<boolean>;
  /**
   * The Events API receiver of this process: the command line's choice (`--listen`, `--socket-mode`), else
   * the configuration's. `ifSlackConnected`: none (instead of an error) while no Slack workspace is connected.
   */
  receiver?: { http?: { port: number; host?: string }; socketMode?: boolean; ifSlackConnected?: boolean };
  receiverLog?: ReceiverLog;
}

interface Loop {
  stop: AbortController;
  state: LoopState;
  nextRunAt: string | null;
  receiving: string | null;
  /** Resolves when the schedule returned or failed (never rejects). */
  done: Promise<void>;
  /** Resolves once the receiver is closed and the loop forgotten. */
  ended: Promise<void>;
  result?: ScheduleResult;
  failure?: { error: unknown };
}

export function errorOf(err: unknown): SupervisorError {
  if (err instanceof TightknitError) return { code: err.code, message: err.message, actions: err.actions };
  return { code: 'UNEXPECTED', message: err instanceof Error ? err.message : String(err), actions: [] };
}

/**
 * The run supervisor of one state directory, for any front end: the scheduled syncs (`runSchedule`)
 * with the Events API receiver the configuration asks for, a retry or re-match handed to the running
 * loop or run on its own, one run at a time, and the state a front end shows (loop state, next run,
 * the run under way, the last error). Everything it learns it also reports through `onEvent`.
 */
export class Supervisor {
  private loop?: Loop;
  /** The loop last started, kept after it ended so that `finished()` still answers for it. */
  private lastLoop?: Loop;
  private standalone?: Promise<void>;
  private readonly requests: ScheduleRequest[] = [];
  private current: CurrentRun | null = null;
  private lastError: SupervisorError | null = null;

  constructor(private readonly opts: SupervisorOptions) {}

  /** The loop or a one-off run is under way. */
  get busy(): boolean {
    return this.loop !== undefined || this.standalone !== undefined;
  }

  status(): {
    state: LoopState;
    nextRunAt: string | null;
    lastError: SupervisorError | null;
    current: CurrentRun | null;
    receiving: string | null;
  } {
    return {
      state: this.loop?.state ?? 'stopped',
      nextRunAt: this.loop?.nextRunAt ?? null,
      lastError: this.lastError,
      current: this.current,
      receiving: this.loop?.receiving ?? null,
    };
  }

  /**
   * Verify, connection test, (confirm,) the receiver, then the scheduled syncs in the background
   * (a backfill first if none was ever done). Resolves true once they run; throws ALREADY_RUNNING
   * while something runs here, or what the checks, the receiver or the state directory's lock refuse.
   */
  async start(opts: SuperviseOptions = {}): Promise<boolean> {
    this.refuseWhenLooping();
    const { stateDir, key } = this.opts;
    const config = loadConfig(stateDir);
    const { skipChecks, onVerify, onChecks } = opts;
    const { opened } = await preflight({ stateDir, key, config, skipChecks, onVerify, onChecks });
    this.refuseWhenLooping();
    if (opts.confirm && !(await opts.confirm(opened, config))) return false;
    const receiver = await this.startReceiver(config, opts);
    if (receiver) this.emit({ type: 'receiving', mode: receiver.mode, where: receiver.where });
    const stop = new AbortController();
    // Throws at once when another process holds the state directory: the receiver then closes too.
    let running: Promise<ScheduleResult>;
    try {
      running = runSchedule({
        stateDir,
        opened,
        key,
        liveEvents: receiver?.mode,
        signal: stop.signal,
        tickMs: this.opts.tickMs,
        tuning: this.opts.tuning,
        takeRequest: () => this.requests.shift(),
        onProgress: this.opts.onProgress,
        onEvent: (e) => this.onScheduleEvent(e),
      });
    } catch (err) {
      await receiver?.close().catch(() => undefined);
      throw err;
    }
    this.lastError = null;
    const loop: Loop = {
      stop,
      state: 'starting',
      nextRunAt: null,
      receiving: receiver?.where ?? null,
      done: Promise.resolve(),
      ended: Promise.resolve(),
    };
    loop.done = running.then(
      (result) => {
        loop.result = result;
      },
      (err: unknown) => {
        loop.failure = { error: err };
        this.lastError = errorOf(err);
        this.opts.log?.(`Scheduled syncs stopped: ${this.lastError.message}`);
      },
    );
    this.loop = loop;
    this.lastLoop = loop;
    loop.ended = loop.done.finally(async () => {
      loop.receiving = null;
      await receiver?.close().catch((err: unknown) => this.opts.log?.(`Slack receiver: ${String(err)}`));
      if (this.loop === loop) this.loop = undefined;
      this.current = null;
      this.requests.length = 0;
      this.emit({ type: 'loop-ended', ...(loop.failure ? { error: errorOf(loop.failure.error) } : {}) });
    });
    return true;
  }

  /**
   * Waits until the loop last started has ended (receiver closed): its runs, or the error that stopped
   * it, even when it ended before this was called. Undefined when no loop was ever started.
   */
  async finished(): Promise<ScheduleResult | undefined> {
    const loop = this.lastLoop;
    if (!loop) return undefined;
    await loop.ended;
    if (loop.failure) throw loop.failure.error;
    return loop.result;
  }

  /** Stops the loop after its current step (nothing is lost) and waits for it. */
  async stop(): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    loop.stop.abort();
    await loop.done;
  }

  /** Ends everything this supervisor started: the loop after its current step, and a one-off run. */
  async close(): Promise<void> {
    await this.stop();
    if (this.standalone) await this.standalone;
  }

  /** Re-sends a run's failed records: handed to the running loop, or run on its own. */
  retry(runId: number): void {
    if (this.loop) {
      this.requests.push({ type: 'retry', runId });
      return;
    }
    this.refuseWhenBusy();
    // Throws at once when another process holds the state directory.
    const running = retryFailedRecords({ ...this.runOptions(), runId });
    this.runStandalone(running, { runType: 'retry', retryOf: runId, startedAt: new Date().toISOString() });
  }

  /** Looks every unlocked member up again with the current match rules: handed to the running loop, or run on its own. */
  rematch(): void {
    if (this.loop) {
      if (!this.requests.some((r) => r.type === 'rematch')) this.requests.push({ type: 'rematch' });
      return;
    }
    this.refuseWhenBusy();
    // syncOnce takes the lock inside a promise: ask first, so a busy state directory is refused now.
    const holder = otherLockHolder(this.opts.stateDir);
    if (holder) {
      throw new UsageError(
        'ALREADY_RUNNING',
        `Another tightknit-sync (${holder.command}, pid ${holder.pid}) is using the state directory.`,
        { actions: ['Re-match once it has finished, or run `tightknit-sync rematch` there after stopping it.'] },
      );
    }
    const running = syncOnce({ ...this.runOptions(), rematch: true });
    this.runStandalone(running, { runType: 'rematch', startedAt: new Date().toISOString() });
  }

  private runOptions(): {
    stateDir: string;
    key?: Omit<KeyOptions, 'stateDir'>;
    tuning?: Partial<PushTuning>;
    onProgress?: (p: PushProgress) => void;
  } {
    const { stateDir, key, tuning, onProgress } = this.opts;
    return { stateDir, key, tuning, onProgress };
  }

  private emit(event: SupervisorEvent): void {
    this.opts.onEvent?.(event);
  }

  private onScheduleEvent(e: ScheduleEvent): void {
    const loop = this.loop;
    if (!loop) return;
    switch (e.type) {
      case 'started':
        loop.state = e.paused ? 'paused' : 'waiting';
        break;
      case 'run-started':
        this.current = { runType: e.runType, retryOf: e.retryOf, startedAt: new Date().toISOString() };
        loop.state = 'running';
        break;
      case 'run-finished':
        this.current = null;
        loop.state = 'waiting';
        this.lastError = null;
        break;
      case 'run-error':
        this.current = null;
        loop.state = 'waiting';
        this.lastError = { code: e.code, message: e.message, actions: e.actions };
        break;
      case 'paused':
        loop.state = 'paused';
        loop.nextRunAt = null;
        break;
      case 'resumed':
        loop.state = 'waiting';
        break;
      case 'waiting':
        loop.nextRunAt = e.nextRunAt;
        break;
      case 'stopped':
        loop.state = 'stopped';
        break;
      case 'source-caught-up':
      case 'source-error':
        break;
    }
    this.emit(e);
  }

  /** The Events API receiver asked for; loaded only then (the Slack clients are heavy). */
  private async startReceiver(config: SyncConfig, opts: SuperviseOptions): Promise<LiveReceiver | null> {
    const { stateDir, key } = this.opts;
    const wanted = opts.receiver ?? {};
    if (wanted.ifSlackConnected && (!hasSlackCredentials(stateDir) || config.slack.events === 'off')) return null;
    // A require, not an import: the front ends that never receive events do not load the Slack clients.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above)
    const { startLiveReceiver } = require('./live-receiver') as typeof import('./live-receiver.js');
    return startLiveReceiver({
      stateDir,
      config,
      key,
      http: wanted.http,
      socketMode: wanted.socketMode,
      log: opts.receiverLog,
    });
  }

  /** Follows a retry or re-match that runs outside the loop until it ends. */
  private runStandalone(running: Promise<RunSummary>, current: CurrentRun): void {
    this.current = current;
    this.lastError = null;
    this.emit({ type: 'one-off-started', run: current });
    let summary: RunSummary | undefined;
    const done = running.then(
      (s: RunSummary) => {
        summary = s;
      },
      (err: unknown) => {
        this.lastError = errorOf(err);
      },
    );
    this.standalone = done.finally(() => {
      this.standalone = undefined;
      this.current = null;
      this.emit({
        type: 'one-off-ended',
        ...(summary ? { summary } : {}),
        ...(this.lastError && !summary ? { error: this.lastError } : {}),
      });
    });
  }

  /** The loop runs here: a second one is refused. */
  private refuseWhenLooping(): void {
    if (this.busy) {
      throw new UsageError('ALREADY_RUNNING', `Syncs are already running in ${this.opts.where ?? 'this process'}.`);
    }
  }

  /** One run outside the loop at a time (the state directory's lock allows no more). */
  private refuseWhenBusy(): void {
    if (this.standalone) {
      const what = this.current?.runType === 'rematch' ? 'A re-match' : 'A retry';
      throw new UsageError('ALREADY_RUNNING', `${what} is already running in ${this.opts.where ?? 'this process'}.`, {
        actions: this.opts.waitActions ?? ['Wait for it to finish.'],
      });
    }
  }
}
