import {
  connect,
  type ConnectOptions,
  disconnect,
  type DisconnectResult,
  errorOf,
  formatCatchUp,
  hasBackfilled,
  hasCredentials,
  type KeyOptions,
  openAsyncStore,
  type PushTuning,
  recordHistoryEvent,
  storeExists,
  createSupervisor,
  type Supervisor,
  type SupervisorEvent,
  UsageError,
} from '../../sync';
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

/**
 * The console's background work: the core's run supervisor (the scheduled syncs with their receiver,
 * a retry or a re-match handed to the running loop or run on its own), and a web sign-in (`connect`).
 * It keeps what the status page shows besides: progress bars, the live source's last report, the sign-in.
 */
export class ConsoleRunner {
  private readonly supervisor: Supervisor;
  private readonly progress = new ProgressTracker();
  private login?: { authorizeUrl: string; startedAt: string; abort: AbortController };
  private loginError: ErrorView | null = null;
  private source: SourceEvents = { lastCatchUp: null, lastError: null };
  private epoch = 0;

  constructor(private readonly opts: RunnerOptions) {
    this.supervisor = createSupervisor({
      stateDir: opts.stateDir,
      key: opts.key,
      tuning: opts.tuning,
      tickMs: opts.tickMs ?? 1000,
      log: opts.log,
      where: 'this console',
      waitActions: ['Wait for it to finish; its progress shows on Setup.'],
      onProgress: (p) => {
        this.progress.update(p);
        this.opts.onChange();
      },
      onEvent: (e) => this.onEvent(e),
    });
  }

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
    return { ...this.source, receiving: this.supervisor.status().receiving };
  }

  private get keyOptions(): KeyOptions {
    return { stateDir: this.opts.stateDir, ...this.opts.key };
  }

  get busy(): boolean {
    return this.supervisor.busy;
  }

  scheduler(): { state: SchedulerState; nextRunAt: string | null; lastError: ErrorView | null } {
    const { state, nextRunAt, lastError } = this.supervisor.status();
    return { state, nextRunAt, lastError };
  }

  activity(): ActivityView | null {
    const { current } = this.supervisor.status();
    return current ? { ...current, objects: this.progress.views() } : null;
  }

  pendingLogin(): { authorizeUrl: string; startedAt: string } | null {
    return this.login ? { authorizeUrl: this.login.authorizeUrl, startedAt: this.login.startedAt } : null;
  }

  lastLoginError(): ErrorView | null {
    return this.loginError;
  }

  /** Verify, connection test, then the scheduler loop in the background (backfill first if never done). */
  async start(skipChecks: boolean): Promise<void> {
    this.refuseWhenNotConnected();
    // As `start` does: the configuration's Socket Mode (or HTTP with a listen port) is received in this process.
    await this.supervisor.start({
      skipChecks,
      receiver: { ifSlackConnected: true },
      receiverLog: (e) => this.opts.log?.(`Slack events: ${e.message}`),
    });
    this.opts.onChange();
  }

  private onEvent(e: SupervisorEvent): void {
    if (e.type.startsWith('run-') || e.type.startsWith('source-') || e.type.startsWith('one-off-')) this.epoch++;
    switch (e.type) {
      case 'run-started':
      case 'one-off-started':
        this.progress.reset();
        break;
      case 'loop-ended':
        this.epoch++;
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
      default:
        break;
    }
    this.opts.onChange();
  }

  /** Stops the loop after its current step (nothing is lost) and waits for it. */
  async stop(): Promise<void> {
    await this.supervisor.stop();
  }

  /** Re-sends a run's failed records: handed to the running loop, or run on its own. */
  retry(runId: number): void {
    this.refuseWhenNotConnected();
    this.supervisor.retry(runId);
    this.opts.onChange();
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
    this.refuseWhenNotConnected();
    this.supervisor.rematch();
    this.opts.onChange();
  }

  /** A run needs the stored connection, unless the loop (which has it open) takes the work or refuses it. */
  private refuseWhenNotConnected(): void {
    if (!this.supervisor.busy && !hasCredentials(this.opts.stateDir)) throw notConnected();
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
          if (!abort.signal.aborted) this.loginError = errorOf(err);
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
    await this.supervisor.close();
    const result = await disconnect(this.keyOptions);
    this.opts.onChange();
    return result;
  }

  /** Ends everything this runner started (the console is closing). */
  async close(): Promise<void> {
    this.login?.abort.abort();
    await this.supervisor.close();
  }

  private refuseWhenConnected(): void {
    if (hasCredentials(this.opts.stateDir)) {
      throw new HttpError(409, 'ALREADY_CONNECTED', 'This state directory is already connected to an org.', [
        'Disconnect first to connect to another org or as another user.',
      ]);
    }
  }
}

function notConnected(): UsageError {
  return new UsageError('NOT_CONNECTED', 'No org is connected.', {
    actions: ['Connect an org first (Setup → Connect).'],
  });
}
