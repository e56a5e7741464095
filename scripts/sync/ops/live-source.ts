import type { SyncConfig } from '../config';
import type { KeyOptions } from '../connection/encryption';
import { loadSlackCredentials, readSlackConnectionInfo, slackClient } from '../connection/slack-credentials';
import { TightknitError } from '../errors';
import { applySlackEvents, readSlackWorkspace, SLACK_CLIENT_OPTIONS, SlackReadAborted } from '../sources/slack/web-api';
import { currentReceiver, type CurrentReceiver, type ReceiverState } from '../sources/slack/events/receivers';
import type { AsyncReceivers, AsyncStore } from '../store';
import type { SlackReadSummary } from '../sources/slack/web-api';
import type { SourceCatchUp } from './live-source-summary';

export type { SourceCatchUp } from './live-source-summary';

/** What the status of a live source shows: its state and how far behind the store is. */
export interface LiveSourceStatus {
  connected: boolean;
  workspace: string | null;
  teamId: string | null;
  events: SyncConfig['slack']['events'];
  /** The whole workspace was read once (the first import is done). */
  firstImportDone: boolean;
  lastCatchUpAt: string | null;
  lastError: { at: string; code: string; message: string } | null;
  pendingEvents: number;
  lastEventAt: string | null;
  /** The Events API receiver storing into this state directory, as it last said (events on only). */
  receiver: { state: ReceiverState; mode: string | null; address: string | null; seenAt: string | null };
  /**
   * How far behind the store is, in seconds: since the oldest event waiting in the inbox, or (polling, or
   * events on with no receiver running) since the last Web API read. Null before the first catch-up.
   */
  lagSeconds: number | null;
}

/**
 * The configured mode's receiver (null when events are off), judged by the wall clock whatever a caller's
 * `now`: receivers write their heartbeats with it.
 */
async function receiverFor(receivers: AsyncReceivers, config: SyncConfig): Promise<CurrentReceiver | null> {
  const mode = config.slack.events;
  return mode === 'off' ? null : currentReceiver(await receivers.all(), mode, new Date());
}

/**
 * Events keep the store complete only while a receiver of the configured mode runs, and only for the time
 * since it started: until a complete Web API read ran while it was running, every catch-up polls.
 */
function trusted(receiver: CurrentReceiver | null): boolean {
  return receiver?.state === 'receiving' && receiver.running.some((r) => r.covered);
}

/** With an event subscription, the Web API is still polled (active channels) this often. */
export const RECONCILE_EVERY_MS = 60 * 60_000;

/**
 * When events keep the store current, the Web API is read anyway until the first import of the whole
 * workspace is done, and then once every RECONCILE_EVERY_MS (a reconciliation): a channel the bot was
 * invited to, users an event named but the store lacks, and events Slack gave up delivering are caught
 * there. The state is the store's (`firstImportDoneAt`, `lastPollAt`), so any process reading it agrees.
 */
export async function webApiReadPlan(
  state: AsyncStore['sourceState'],
  now: Date,
): Promise<{ firstImportDone: boolean; reconcile: boolean }> {
  const firstImportDone = (await state.get('firstImportDoneAt')) !== null;
  const lastPoll = await state.get('lastPollAt');
  return {
    firstImportDone,
    reconcile: lastPoll === null || now.getTime() - Date.parse(lastPoll) >= RECONCILE_EVERY_MS,
  };
}

export interface CatchUpOptions {
  stateDir: string;
  store: AsyncStore;
  config: SyncConfig;
  key?: Omit<KeyOptions, 'stateDir'>;
  signal?: AbortSignal;
  now?: Date;
  /** Longest a Web API read may take in one catch-up (a first import continues at the next). Default 10 min. */
  readBudgetMs?: number;
  /** Another Slack API base (the demo's emulator); default TIGHTKNIT_SLACK_API_URL, else Slack. */
  slackApiUrl?: string;
  onProgress?: (p: { phase: string; channel?: string; messages: number; calls: number }) => void;
}

/**
 * Brings the store up to date with the connected Slack workspace before a push (docs/sources.md "Live
 * Slack source"): applies the events the receiver stored since the last catch-up, and reads the Web API
 * — every active channel when no event subscription is configured, no receiver of the configured mode is
 * running (none started, closed, or silent for SILENT_AFTER_MS), or none has been covered by a complete read
 * since it started; with a covered receiver running, until the first import of the whole workspace is done
 * and then once an hour (a reconciliation poll). Returns null when no workspace is
 * connected. A revoked token throws SLACK_AUTH (exit 3); the store keeps whatever was committed before any
 * error.
 */
export async function catchUpLiveSource(opts: CatchUpOptions): Promise<SourceCatchUp | null> {
  const info = readSlackConnectionInfo(opts.stateDir);
  if (!info) return null;
  const started = Date.now();
  const state = opts.store.sourceState;
  const stored = await loadSlackCredentials({ stateDir: opts.stateDir, ...opts.key });
  if (!stored) return null;
  const client = slackClient(stored.secrets, { ...SLACK_CLIENT_OPTIONS, slackApiUrl: opts.slackApiUrl });
  const now = opts.now ?? new Date();
  const engagement = opts.config.engagement;
  try {
    const inbox = opts.store.inbox;
    const applied = await applySlackEvents({ store: opts.store, inbox, client, now, engagement });
    const { firstImportDone, reconcile } = await webApiReadPlan(state, now);
    const receivers = opts.store.receivers;
    const receiver = await receiverFor(receivers, opts.config);
    let read: SlackReadSummary | null = null;
    let readIncomplete = false;
    if (!trusted(receiver) || !firstImportDone || reconcile) {
      const budget = AbortSignal.timeout(opts.readBudgetMs ?? 10 * 60_000);
      const signal = opts.signal ? AbortSignal.any([opts.signal, budget]) : budget;
      try {
        read = await readSlackWorkspace({
          store: opts.store,
          client,
          includePrivate: opts.config.slack.includePrivate,
          now,
          signal,
          channels: firstImportDone ? 'active' : 'all',
          engagement,
          teamId: info.teamId,
          onProgress: opts.onProgress,
        });
      } catch (err) {
        if (!(err instanceof SlackReadAborted)) throw err;
        readIncomplete = true;
      }
    }
    // A complete read while receivers run: what happened before they started is in the store now.
    if (read && receiver?.state === 'receiving') await receivers.covered(receiver.running.map((r) => r.token));
    const at = new Date().toISOString();
    await state.set({
      lastCatchUpAt: at,
      lastError: null,
      ...(read ? { lastPollAt: now.toISOString() } : {}),
      ...(read && !firstImportDone ? { firstImportDoneAt: at } : {}),
    });
    return {
      source: 'slack',
      workspace: info.teamName,
      eventsApplied: applied.applied,
      ignoredEvents: applied.ignored,
      read,
      readIncomplete,
      receiverMissing: receiver !== null && receiver.state !== 'receiving',
      durationMs: Date.now() - started,
    };
  } catch (err) {
    const code = err instanceof TightknitError ? err.code : 'UNEXPECTED';
    const message = err instanceof Error ? err.message : String(err);
    await state.set({ lastError: JSON.stringify({ at: new Date().toISOString(), code, message }) });
    throw err;
  }
}

/** The live source's state and lag, for `status` views (the console) and logs. */
export async function liveSourceStatus(
  stateDir: string,
  store: AsyncStore,
  config: SyncConfig,
  now = new Date(),
): Promise<LiveSourceStatus> {
  const info = readSlackConnectionInfo(stateDir);
  const state = store.sourceState;
  const inbox = store.inbox;
  const counts = await inbox.counts();
  const oldestPending = counts.pending > 0 ? ((await inbox.pending(1))[0]?.receivedAt ?? null) : null;
  const lastCatchUpAt = await state.get('lastCatchUpAt');
  const receiver = await receiverFor(store.receivers, config);
  // Polling, or events that do not (or not yet) cover everything: the store is as recent as the last read.
  const since = oldestPending ?? (trusted(receiver) ? null : await state.get('lastPollAt'));
  const lastError = await state.get('lastError');
  const firstImportDone = (await state.get('firstImportDoneAt')) !== null;
  return {
    connected: info !== undefined,
    workspace: info?.teamName ?? null,
    teamId: info?.teamId ?? null,
    events: config.slack.events,
    firstImportDone,
    lastCatchUpAt,
    lastError: lastError ? (JSON.parse(lastError) as LiveSourceStatus['lastError']) : null,
    pendingEvents: counts.pending,
    lastEventAt: counts.lastReceivedAt,
    receiver: {
      state: receiver?.state ?? 'none',
      mode: receiver?.record?.mode ?? null,
      address: receiver?.record?.address ?? null,
      seenAt: receiver?.record?.seenAt ?? null,
    },
    lagSeconds:
      since !== null ? Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000)) : lastCatchUpAt ? 0 : null,
  };
}
