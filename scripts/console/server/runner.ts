import { loadConfig, type SyncConfig } from '../../sync/config';
import { connect, type ConnectOptions } from '../../sync/connection/connect';
import type { KeyOptions } from '../../sync/connection/encryption';
import { hasCredentials } from '../../sync/connection/credential-store';
import { hasSlackCredentials } from '../../sync/connection/slack-files';
import type { LiveReceiver } from '../../sync/ops/live-receiver';
import { TightknitError, UsageError } from '../../sync/errors';
import { storeExists } from '../../sync/ops/history-events';
import { openAsyncStore } from '../../sync/store';
import { disconnect, type DisconnectResult } from '../../sync/ops/disconnect';
import { recordHistoryEvent } from '../../sync/ops/history-events';
import { preflight } from '../../sync/ops/preflight';
import { otherLockHolder } from '../../sync/ops/lock';
import { hasBackfilled, retryFailedRecords, syncOnce, type RunSummary } from '../../sync/ops/run';
import { formatCatchUp } from '../../sync/ops/live-source-summary';
import { runSchedule, type ScheduleEvent, type ScheduleRequest } from '../../sync/ops/schedule';
import type { PushProgress, PushTuning } from '../../sync/push';
import type { ActivityView, ApiError, SchedulerState } from '../contract';
import { HttpError } from './http';
import { ProgressTracker } from './progress';
import type { SourceEvents } from './slack';

export interface RunnerOptions {
  stateDir: string;
  key?: Omit<KeyOptions, 'stateDir'>;
  tuning?: Partial<PushTuning>;
  /** How often the scheduler looks at the clock, the pause switch and retry requests (default 1 s). */
  tickMs?: number;
  /** How long a web sign-in may wait for the browser to come back (default 5 minutes). */
  loginTimeoutMs?: number;
  /** Something the status shows changed. */
  onChange: () => void;
  log?: (message: string) => void;
}

type ErrorView = ApiError['error'];

function errorView(err: unknown): ErrorView {
  if (err instanceof TightknitError) return { code: err.code, message: err.message, actions: err.actions };
  return { code: 'UNEXPECTED', message: err instanceof Error ? err.message : String(err), actions: [] };
}

/**
 * The console's background work, all through the core functions the CLI uses: the scheduler loop
 * (`runSchedule`), a retry (`retryFailedRecords`) or a re-match (`syncOnce({ rematch })`), each handed
 * to the running loop as a request when there is one, a web sign-in
 * (`connect`). It only keeps what the status page shows: state, progress, the last error.
 */
export class ConsoleRunner {
  private loop?: { stop: AbortController; done: Promise<void>; state: SchedulerState; nextRunAt: string | null };
  private standalone?: Promise<void>;
  private readonly requests: ScheduleRequest[] = [];
  private readonly progress = new ProgressTracker();
  private current: Omit<ActivityView, 'objects'> | null = null;
  private lastError: ErrorView | null = null;
  private login?: { authorizeUrl: string; startedAt: string; abort: AbortController };
  private loginError: ErrorView | null = null;
  private source: SourceEvents = { lastCatchUp: null, lastError: null };
  /** Where this console receives Slack events while its schedule runs ("Socket Mode", a URL), else null. */
  private receiving: string | null = null;
  private epoch = 0;

  constructor(private readonly opts: RunnerOptions) {}

  /** Moves whenever a run starts or ends: what the store holds (counts, the last run) may differ. */
  get storeEpoch(): number {
    return this.epoch;
  }

  /** The key options for the stored credentials (tests and the demo pass their own). */
  get keys(): Omit<KeyOptions, 'stateDir'> | undefined {
    return this.opts.key;
  }

  /** Tells the front ends that something they show changed (a pause from the API, say). */
  changed(): void {
    this.opts.onChange();
  }

  /** Something the store's part of the status depends on changed (the Slack connection, the config): read it again. */
  storeChanged(): void {
    this.epoch++;
    this.opts.onChange();
  }

  /** What the schedule last reported about the live source: its last catch-up, and its last error. */
  sourceEvents(): SourceEvents & { receiving: string | null } {
    return { ...this.source, receiving: this.receiving };
  }

  private get keyOptions(): KeyOptions {
    return { stateDir: this.opts.stateDir, ...this.opts.key };
  }

  get busy(): boolean {
    return this.loop !== undefined || this.standalone !== undefined;
  }

  scheduler(): { state: SchedulerState; nextRunAt: string | null; lastError: ErrorView | null } {
    return {
      state: this.loop?.state ?? 'stopped',
      nextRunAt: this.loop?.nextRunAt ?? null,
      lastError: this.lastError,
    };
  }

  activity(): ActivityView | null {
    return this.current ? { ...this.current, objects: this.progress.views() } : null;
  }

  pendingLogin(): { authorizeUrl: string; startedAt: string } | null {
    return this.login ? { authorizeUrl: this.login.authorizeUrl, startedAt: this.login.startedAt } : null;
  }

  lastLoginError(): ErrorView | null {
    return this.loginError;
  }

  /** Verify, connection test, then the scheduler loop in the background (backfill first if never done). */
  async start(skipChecks: boolean): Promise<void> {
    if (this.busy) throw new HttpError(409, 'ALREADY_RUNNING', 'Syncs are already running in this console.');
    if (!hasCredentials(this.opts.stateDir)) throw notConnected();
    const config = loadConfig(this.opts.stateDir);
    const { opened } = await preflight({ stateDir: this.opts.stateDir, key: this.opts.key, config, skipChecks });
    if (this.busy) throw new HttpError(409, 'ALREADY_RUNNING', 'Syncs are already running in this console.');
    // As `start` does: the configuration's Socket Mode (or HTTP with a listen port) is received in this process.
    const receiver = await startReceiver(this.opts.stateDir, config, this.opts.key, this.opts.log);
    const stop = new AbortController();
    // Throws at once when another process holds the state directory: the receiver then closes too.
    let running: ReturnType<typeof runSchedule>;
    try {
      running = runSchedule({
        stateDir: this.opts.stateDir,
        opened,
        key: this.opts.key,
        liveEvents: receiver?.mode,
        signal: stop.signal,
        tickMs: this.opts.tickMs ?? 1000,
        tuning: this.opts.tuning,
        takeRequest: () => this.requests.shift(),
        onProgress: (p) => {
          this.progress.update(p);
          this.opts.onChange();
        },
        onEvent: (e) => this.onEvent(e),
      });
    } catch (err) {
      await receiver?.close().catch(() => undefined);
      throw err;
    }
    this.lastError = null;
    const loop = { stop, state: 'starting' as SchedulerState, nextRunAt: null, done: Promise.resolve() };
    loop.done = running.then(
      () => undefined,
      (err: unknown) => {
        this.lastError = errorView(err);
        this.opts.log?.(`Scheduled syncs stopped: ${this.lastError.message}`);
      },
    );
    this.loop = loop;
    this.receiving = receiver?.where ?? null;
    void loop.done.finally(async () => {
      this.receiving = null;
      await receiver?.close().catch((err: unknown) => this.opts.log?.(`Slack receiver: ${String(err)}`));
      this.epoch++;
      if (this.loop === loop) this.loop = undefined;
      this.current = null;
      this.requests.length = 0;
      this.opts.onChange();
    });
    this.opts.onChange();
  }

  private onEvent(e: ScheduleEvent): void {
    const loop = this.loop;
    if (!loop) return;
    if (e.type.startsWith('run-') || e.type.startsWith('source-')) this.epoch++;
    switch (e.type) {
      case 'started':
        loop.state = e.paused ? 'paused' : 'waiting';
        break;
      case 'run-started':
        this.progress.reset();
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
      case 'source-caught-up':
        this.source = {
          lastCatchUp: {
            at: new Date().toISOString(),
            text: formatCatchUp(e.catchUp),
            eventsApplied: e.catchUp.eventsApplied,
            readIncomplete: e.catchUp.readIncomplete,
          },
          lastError: null,
        };
        break;
      case 'source-error':
        this.source = {
          ...this.source,
          lastError: { at: new Date().toISOString(), code: e.code, message: e.message, actions: e.actions },
        };
        this.opts.log?.(`Slack source: ${e.message}`);
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
    }
    this.opts.onChange();
  }

  /** Stops the loop after its current step (nothing is lost) and waits for it. */
  async stop(): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    loop.stop.abort();
    await loop.done;
  }

  /** Re-sends a run's failed records: handed to the running loop, or run on its own. */
  retry(runId: number): void {
    if (this.loop) {
      this.requests.push({ type: 'retry', runId });
      this.opts.onChange();
      return;
    }
    this.refuseWhenBusy();
    // Throws at once when another process holds the state directory.
    const running = retryFailedRecords({
      stateDir: this.opts.stateDir,
      key: this.opts.key,
      runId,
      tuning: this.opts.tuning,
      onProgress: this.onProgress,
    });
    this.runStandalone(running, { runType: 'retry', retryOf: runId, startedAt: new Date().toISOString() });
  }

  /**
   * Looks every unlocked member up again with the current match rules (after they changed): handed to
   * the running loop, or run on its own. NOTHING_TO_REMATCH (409) before the first backfill.
   */
  async rematch(): Promise<void> {
    if (!(await this.pushedBefore())) {
      throw new UsageError(
        'NOTHING_TO_REMATCH',
        'No member has been pushed to the org yet, so there is nothing to re-match.',
        {
          actions: [
            'Start the sync first (Review and start): the backfill matches every member with the current rules.',
          ],
        },
      );
    }
    if (this.loop) {
      if (!this.requests.some((r) => r.type === 'rematch')) this.requests.push({ type: 'rematch' });
      this.opts.onChange();
      return;
    }
    this.refuseWhenBusy();
    // syncOnce takes the lock inside a promise: ask first, so a busy state directory answers 409 now.
    const holder = otherLockHolder(this.opts.stateDir);
    if (holder) {
      throw new HttpError(
        409,
        'ALREADY_RUNNING',
        `Another tightknit-sync (${holder.command}, pid ${holder.pid}) is using the state directory.`,
        ['Re-match once it has finished, or run `tightknit-sync rematch` there after stopping it.'],
      );
    }
    const running = syncOnce({
      stateDir: this.opts.stateDir,
      key: this.opts.key,
      rematch: true,
      tuning: this.opts.tuning,
      onProgress: this.onProgress,
    });
    this.runStandalone(running, { runType: 'rematch', startedAt: new Date().toISOString() });
  }

  private readonly onProgress = (p: PushProgress): void => {
    this.progress.update(p);
    this.opts.onChange();
  };

  /** One run outside the loop at a time (the state directory's lock allows no more). */
  private refuseWhenBusy(): void {
    if (this.standalone) {
      const what = this.current?.runType === 'rematch' ? 'A re-match' : 'A retry';
      throw new HttpError(409, 'ALREADY_RUNNING', `${what} is already running in this console.`, [
        'Wait for it to finish; its progress shows on Setup.',
      ]);
    }
    if (!hasCredentials(this.opts.stateDir)) throw notConnected();
  }

  /** True when a backfill finished: members are in the org, so their links can be looked up again. */
  private async pushedBefore(): Promise<boolean> {
    if (!storeExists(this.opts.stateDir)) return false;
    const store = openAsyncStore({ stateDir: this.opts.stateDir });
    try {
      return await hasBackfilled(store);
    } finally {
      await store.close();
    }
  }

  /** Follows a retry or re-match that runs outside the loop until it ends. */
  private runStandalone(running: Promise<RunSummary>, current: Omit<ActivityView, 'objects'>): void {
    this.progress.reset();
    this.current = current;
    this.lastError = null;
    this.epoch++;
    const done = running.then(
      (_summary: RunSummary) => undefined,
      (err: unknown) => {
        this.lastError = errorView(err);
      },
    );
    this.standalone = done.finally(() => {
      this.epoch++;
      this.standalone = undefined;
      this.current = null;
      this.opts.onChange();
    });
    this.opts.onChange();
  }

  /** client-credentials and JWT: connects now. */
  async connectNow(opts: Omit<ConnectOptions, keyof KeyOptions>): Promise<void> {
    this.refuseWhenConnected();
    const result = await connect({ ...this.keyOptions, ...opts });
    await recordHistoryEvent(
      this.opts.stateDir,
      'connected',
      `Connected to ${result.info.instanceUrl} as ${result.info.username ?? 'unknown user'} (${opts.method}, console).`,
    );
    this.opts.onChange();
  }

  /**
   * Web sign-in: resolves with the Salesforce authorize URL once the loopback callback listens; the
   * rest (the browser coming back, the code exchange) finishes in the background.
   */
  async connectWeb(opts: Omit<ConnectOptions, keyof KeyOptions | 'openUrl'>): Promise<string> {
    this.refuseWhenConnected();
    this.login?.abort.abort();
    this.loginError = null;
    const abort = new AbortController();
    let opened: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (opened = resolve));
    const finished = this.connectNow({
      ...opts,
      openUrl: (u) => opened(u),
      signal: abort.signal,
      timeoutMs: this.opts.loginTimeoutMs ?? 5 * 60_000,
    });
    const authorizeUrl = await Promise.race([url, finished.then(() => '')]);
    const login = { authorizeUrl, startedAt: new Date().toISOString(), abort };
    this.login = login;
    finished
      .then(
        () => undefined,
        (err: unknown) => {
          if (!abort.signal.aborted) this.loginError = errorView(err);
        },
      )
      .finally(() => {
        if (this.login === login) this.login = undefined;
        this.opts.onChange();
      })
      .catch(() => undefined);
    this.opts.onChange();
    return authorizeUrl;
  }

  /** Stops scheduled syncs, revokes the token and forgets the connection; the history stays. */
  async disconnect(): Promise<DisconnectResult> {
    if (!hasCredentials(this.opts.stateDir)) throw notConnected();
    await this.stop();
    if (this.standalone) await this.standalone;
    const result = await disconnect(this.keyOptions);
    this.opts.onChange();
    return result;
  }

  /** Ends everything this runner started (the console is closing). */
  async close(): Promise<void> {
    this.login?.abort.abort();
    await this.stop();
    if (this.standalone) await this.standalone;
  }

  private refuseWhenConnected(): void {
    if (hasCredentials(this.opts.stateDir)) {
      throw new HttpError(409, 'ALREADY_CONNECTED', 'This state directory is already connected to an org.', [
        'Disconnect first to connect to another org or as another user.',
      ]);
    }
  }
}

/** The Events API receiver the configuration asks for; loaded only then (the Slack clients are heavy). */
async function startReceiver(
  stateDir: string,
  config: SyncConfig,
  key: Omit<KeyOptions, 'stateDir'> | undefined,
  log: ((message: string) => void) | undefined,
): Promise<LiveReceiver | null> {
  if (!hasSlackCredentials(stateDir) || config.slack.events === 'off') return null;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { startLiveReceiver } =
    require('../../sync/ops/live-receiver') as typeof import('../../sync/ops/live-receiver.js');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return startLiveReceiver({
    stateDir,
    config,
    key,
    log: (e) => log?.(`Slack events: ${e.message}`),
  });
}

function notConnected(): UsageError {
  return new UsageError('NOT_CONNECTED', 'No org is connected.', {
    actions: ['Connect an org first (Setup → Connect).'],
  });
}
