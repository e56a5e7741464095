import type { WebClient } from '@slack/web-api';
import { DEFAULT_ENGAGEMENT, type EngagementConfig } from '../../../engagement';
import type { KindCounts, AsyncStore } from '../../../store';
import { newReport } from '../../report';
import { processMessages, type Author } from '../export/messages';
import { slackTsToMs } from '../../text';
import { SlackApi, list } from './api';
import { liveMessageContext, conversationOf } from './context';
import type { ChannelCursor, AsyncSlackCursors } from '../../../store';
import { addCounts, readChannels, readTeam, readUsers, type CommitFn, type Workspace } from './directory';
import { SlackChannelUnreadable } from './errors';

export interface SlackReadOptions {
  store: AsyncStore;
  client: WebClient;
  /** Also read private channels the bot is a member of. */
  includePrivate?: boolean;
  now?: Date;
  onProgress?: (p: { phase: string; channel?: string; messages: number; calls: number }) => void;
  signal?: AbortSignal;
  /** 'active' (default): channels with a message (or an event) in the last 30 days, never read, or not checked for a day. */
  channels?: 'all' | 'active';
  /** Engagement weights for the member statistics (default: the built-in ones). */
  engagement?: EngagementConfig;
  /** Messages buffered per write transaction (default 5,000; tests make it small). */
  batchMessages?: number;
  /** The connected team (from the stored connection): lets a quiet poll skip team.info. */
  teamId?: string;
}

export interface SlackReadSummary {
  communityId: string;
  channels: number;
  channelsSkipped: Array<{ id: string; name: string; reason: string }>;
  members: KindCounts;
  activities: KindCounts;
  calls: number;
  durationMs: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A channel with a message this recent is read on every poll. */
export const ACTIVE_DAYS = 30;
/** users.list, conversations.list and team.info are read again after this long (or when an event asks). */
const DIRECTORY_MAX_AGE_MS = HOUR_MS;
/** Messages (or text characters) buffered before one write transaction: memory stays bounded. */
const FLUSH_MESSAGES = 5_000;
const FLUSH_CHARS = 8_000_000;
const PAGE = 200;

/** "1767225600.000100" for epoch ms (the watermark that starts where an imported export ended). */
function msToTs(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000`;
}

function tsOf(m: unknown): string | null {
  const ts = (m as { ts?: unknown } | null)?.ts;
  return typeof ts === 'string' ? ts : null;
}

function newer(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return slackTsToMs(a) > slackTsToMs(b) || (slackTsToMs(a) === slackTsToMs(b) && a > b) ? a : b;
}

class Reader {
  readonly api: SlackApi;
  readonly cursors: AsyncSlackCursors;
  readonly now: Date;
  readonly members: KindCounts = { new: 0, changed: 0, unchanged: 0 };
  readonly activities: KindCounts = { new: 0, changed: 0, unchanged: 0 };
  readonly authors = new Map<string, Author>();
  readonly report = newReport('slack-export');
  wrote = false;
  messages = 0;

  constructor(readonly opts: SlackReadOptions) {
    this.api = new SlackApi(opts.client, opts.signal);
    this.cursors = opts.store.slackCursors;
    this.now = opts.now ?? new Date();
  }

  /** One short write transaction (never held across a Slack call); member statistics are left for the end. */
  readonly commit: CommitFn = async (write) => {
    const writer = await this.opts.store.beginWrite();
    try {
      await write(writer);
      const counts = await writer.commit(this.now, this.opts.engagement ?? DEFAULT_ENGAGEMENT, { memberStats: false });
      addCounts(this.members, counts.members);
      addCounts(this.activities, counts.activities);
      if (counts.members.new + counts.members.changed + counts.activities.new + counts.activities.changed > 0) {
        this.wrote = true;
      }
    } catch (err) {
      await writer.rollback();
      this.authors.clear();
      throw err;
    }
  };

  progress(phase: string, channel?: string): void {
    this.opts.onProgress?.({ phase, channel, messages: this.messages, calls: this.api.calls });
  }

  async workspace(): Promise<{ ws: Workspace; refreshed: boolean }> {
    const { store } = this.opts;
    const known = this.opts.teamId ? (await store.getCommunity(`slack:${this.opts.teamId}`))?.row : undefined;
    if (known?.slackTeamId) {
      const communityId = known.tightknitId;
      const readAt = Number((await this.cursors.meta(communityId, 'directory_read_ms')) ?? 0);
      const stale = (await this.cursors.meta(communityId, 'directory_stale')) === '1';
      if (!stale && this.now.getTime() - readAt < DIRECTORY_MAX_AGE_MS) {
        return { ws: { teamId: known.slackTeamId, communityId, domain: known.slackDomain }, refreshed: false };
      }
    }
    this.progress('team');
    const ws = await readTeam(this.api, store, this.commit);
    const readAt = Number((await this.cursors.meta(ws.communityId, 'directory_read_ms')) ?? 0);
    const stale = (await this.cursors.meta(ws.communityId, 'directory_stale')) === '1';
    if (!stale && this.now.getTime() - readAt < DIRECTORY_MAX_AGE_MS) return { ws, refreshed: false };
    this.progress('members');
    let users = 0;
    await readUsers(this.api, ws, this.commit, (n) => {
      users += n;
      this.opts.onProgress?.({ phase: 'members', messages: users, calls: this.api.calls });
    });
    this.progress('channels-list');
    await readChannels(this.api, ws, this.cursors, this.opts.includePrivate ?? false);
    await this.cursors.setMeta(ws.communityId, 'directory_read_ms', String(this.now.getTime()));
    await this.cursors.setMeta(ws.communityId, 'directory_stale', null);
    return { ws, refreshed: true };
  }

  /** Channels this poll reads; a skipped channel is tried again only after the directory was re-read. */
  async due(ws: Workspace, refreshed: boolean): Promise<ChannelCursor[]> {
    const nowMs = this.now.getTime();
    const all = (await this.cursors.channels(ws.communityId)).filter(
      (c) => c.kind === 'public' || (this.opts.includePrivate && c.kind === 'private'),
    );
    const readable = all.filter((c) => refreshed || !c.skippedReason);
    if (this.opts.channels === 'all') return readable;
    return readable.filter(
      (c) =>
        c.checkedMs === null ||
        c.passNewestTs !== null ||
        (c.lastMessageMs ?? 0) >= nowMs - ACTIVE_DAYS * DAY_MS ||
        (c.checkedMs ?? 0) < nowMs - DAY_MS,
    );
  }

  /** Channels first read live after an export import start where the export's messages end. */
  async seedFromStore(ws: Workspace, channels: ChannelCursor[]): Promise<void> {
    const fresh = channels.filter((c) => c.watermarkTs === null && c.passNewestTs === null);
    if (fresh.length === 0) return;
    const stored = await this.cursors.storedNewestMs(ws.communityId);
    for (const c of fresh) {
      const ms = stored.get(c.channelId);
      if (ms === undefined) continue;
      c.watermarkTs = msToTs(ms);
      await this.cursors.finishPass(ws.communityId, c.channelId, c.watermarkTs, c.checkedMs ?? 0);
      await this.cursors.noteMessage(ws.communityId, c.channelId, ms);
    }
  }

  /**
   * One pass over a channel, newest first, from its watermark (or where an interrupted pass stopped).
   * Pages and their threads are buffered up to a bound, then written in one transaction together with
   * the pass's progress; the watermark moves in the transaction that stores the pass's last page.
   */
  async channel(ws: Workspace, cur: ChannelCursor): Promise<void> {
    const conv = conversationOf(cur);
    const threadAuthors = new Map<string, string>();
    let buffer: unknown[] = [];
    let chars = 0;
    let newest = cur.passNewestTs;
    let done: { newest: string; oldest: string } | null = null;
    let newestMs = 0;
    const flush = async (finish: boolean): Promise<void> => {
      const batch = buffer;
      const pass = done;
      buffer = [];
      chars = 0;
      if (batch.length === 0 && finish) {
        // Nothing new: only the check time moves; no store transaction, no member-count scan.
        await this.cursors.finishPass(ws.communityId, cur.channelId, newest ?? cur.watermarkTs, this.now.getTime());
        return;
      }
      await this.commit(async (writer) => {
        // The pass's progress is written with the messages it covers (the writer's cursors).
        const cursors = writer.slackCursors;
        const ctx = liveMessageContext({ ...ws, writer, report: this.report, cursors, authors: this.authors });
        await processMessages(ctx, conv, batch, threadAuthors);
        if (finish)
          await cursors.finishPass(ws.communityId, cur.channelId, newest ?? cur.watermarkTs, this.now.getTime());
        else if (pass) await cursors.savePass(ws.communityId, cur.channelId, pass.newest, pass.oldest);
        if (newestMs > 0) await cursors.noteMessage(ws.communityId, cur.channelId, newestMs);
      });
    };
    const add = (m: unknown): void => {
      buffer.push(m);
      const t = (m as { text?: unknown }).text;
      chars += typeof t === 'string' ? t.length : 0;
      this.messages += 1;
    };
    const full = (): boolean => buffer.length >= (this.opts.batchMessages ?? FLUSH_MESSAGES) || chars >= FLUSH_CHARS;

    const args: Record<string, unknown> = { channel: cur.channelId, limit: PAGE, oldest: cur.watermarkTs ?? '0' };
    if (cur.passOldestTs) args.latest = cur.passOldestTs;
    for await (const page of this.api.pages('conversations.history', args, cur.channelId)) {
      const messages = list(page, 'messages');
      let oldest: string | null = null;
      for (const m of messages) {
        const ts = tsOf(m);
        if (!ts) continue;
        newest = newer(newest, ts);
        oldest = oldest === null || newer(oldest, ts) === oldest ? ts : oldest;
        newestMs = Math.max(newestMs, slackTsToMs(ts));
        add(m);
      }
      for (const m of messages) {
        const parent = m as { ts?: unknown; thread_ts?: unknown; reply_count?: unknown };
        if (typeof parent.reply_count !== 'number' || parent.reply_count === 0 || parent.thread_ts !== parent.ts)
          continue;
        await this.replies(cur.channelId, String(parent.ts), add, async () => {
          if (full()) await flush(false);
        });
      }
      if (newest && oldest) done = { newest, oldest };
      if (full()) await flush(false);
      this.progress('channels', cur.name ?? cur.channelId);
    }
    await flush(true);
  }

  async replies(channel: string, ts: string, add: (m: unknown) => void, afterPage: () => Promise<void>): Promise<void> {
    for await (const page of this.api.pages('conversations.replies', { channel, ts, limit: PAGE }, channel)) {
      for (const m of list(page, 'messages')) if (tsOf(m) !== ts) add(m);
      await afterPage();
    }
  }

  /** The member statistics the batches left out: one scan, only when something was written. */
  async finish(): Promise<void> {
    if (!this.wrote) return;
    this.progress('finishing');
    const writer = await this.opts.store.beginWrite();
    try {
      // Statistics only (activity counts, scores): not counted as source changes of members.
      await writer.commit(this.now, this.opts.engagement ?? DEFAULT_ENGAGEMENT);
    } catch (err) {
      await writer.rollback();
      throw err;
    }
  }
}

/**
 * Reads a Slack workspace through the Web API into the store: the first read takes everything, later
 * polls only what is newer than each channel's watermark. Ids are the export reader's, so a workspace
 * imported from an export continues here without duplicates.
 */
export async function readSlackWorkspace(opts: SlackReadOptions): Promise<SlackReadSummary> {
  const started = Date.now();
  const r = new Reader(opts);
  const { ws, refreshed } = await r.workspace();
  const channels = await r.due(ws, refreshed);
  await r.seedFromStore(ws, channels);
  const skipped: SlackReadSummary['channelsSkipped'] = [];
  let read = 0;
  try {
    for (const c of channels) {
      try {
        await r.channel(ws, c);
        read += 1;
      } catch (err) {
        if (!(err instanceof SlackChannelUnreadable)) throw err;
        await r.cursors.noteSkipped(ws.communityId, c.channelId, err.slackError, r.now.getTime());
        skipped.push({ id: c.channelId, name: c.name ?? c.channelId, reason: skipReason(err.slackError) });
      }
    }
  } catch (err) {
    // What was stored stays stored; its member statistics are brought up to date before reporting.
    try {
      await r.finish();
    } catch {
      // the first failure is the one to report
    }
    throw err;
  }
  await r.finish();
  for (const c of await r.cursors.channels(ws.communityId)) {
    if (
      c.skippedReason &&
      !skipped.some((s) => s.id === c.channelId) &&
      !channels.some((d) => d.channelId === c.channelId)
    ) {
      skipped.push({ id: c.channelId, name: c.name ?? c.channelId, reason: skipReason(c.skippedReason) });
    }
  }
  return {
    communityId: ws.communityId,
    channels: read,
    channelsSkipped: skipped,
    members: r.members,
    activities: r.activities,
    calls: r.api.calls,
    durationMs: Date.now() - started,
  };
}

function skipReason(code: string): string {
  if (code === 'not_in_channel')
    return 'not_in_channel: the app is not a member; invite it with /invite @<app> in the channel';
  return `${code}: the channel cannot be read`;
}
