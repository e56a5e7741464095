import type { WebClient } from '@slack/web-api';
import { DEFAULT_ENGAGEMENT, type EngagementConfig } from '../../../engagement';
import type { AsyncStore, AsyncStoreWriter } from '../../../store';
import { countIgnored, newReport, type SourceReport } from '../../report';
import { permalink, processMessages, type Author, type MessageContext } from '../export/messages';
import { memberId, readSlackUser, text, toMember } from '../export/users';
import { placeName, slackTsToMs, summaryLine } from '../../text';
import { SlackApi } from './api';
import { conversationOf, liveMessageContext } from './context';
import type { ChannelKind, AsyncSlackCursors } from '../../../store';

/**
 * What the applier needs of the event inbox (`AsyncEventInbox` in the store contract); events are marked
 * applied through the writer's inbox, in the write that applied them.
 */
interface InboxLike {
  pending(limit: number): Promise<Array<{ eventId: string; teamId: string; type: string; body: string }>>;
  noteUnknownType(type: string): Promise<void>;
}

export interface ApplyOptions {
  store: AsyncStore;
  inbox: InboxLike;
  /** When given, users an event names but the store lacks are fetched with users.info (else: placeholders). */
  client?: WebClient;
  now?: Date;
  /** Events per transaction (default 500). */
  limit?: number;
  engagement?: EngagementConfig;
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

const MESSAGE_HOUSEKEEPING = new Set(['message_replied', 'tombstone', 'channel_leave', 'group_leave']);
/** Users fetched with users.info per batch at most (Tier 4; the rest wait for the next users.list). */
const USERS_INFO_MAX = 20;

class Applier {
  readonly cursors: AsyncSlackCursors;
  readonly report: SourceReport = newReport('slack-export');
  readonly authors = new Map<string, Author>();

  constructor(
    readonly writer: AsyncStoreWriter,
    readonly store: AsyncStore,
    readonly fetchedUsers: Map<string, unknown>,
    readonly now: Date,
  ) {
    // Inside the batch's write: what the cursors record commits with the events that told it.
    this.cursors = writer.slackCursors;
  }

  async ctx(teamId: string): Promise<MessageContext> {
    const communityId = `slack:${teamId}`;
    const domain = (await this.writer.getCommunity(communityId))?.row.slackDomain ?? null;
    for (const [id, raw] of this.fetchedUsers) {
      const u = readSlackUser(raw);
      if (u && !(await this.writer.memberExists(memberId(teamId, id))))
        await this.writer.putMember(toMember(u, teamId, communityId));
    }
    this.fetchedUsers.clear();
    return liveMessageContext({
      teamId,
      communityId,
      domain,
      writer: this.writer,
      report: this.report,
      cursors: this.cursors,
      authors: this.authors,
    });
  }

  /** The channel as the reader knows it; a public channel it has not listed yet is added. Null: not read. */
  async channel(
    communityId: string,
    id: string,
  ): Promise<{ channelId: string; name: string | null; kind: ChannelKind } | null> {
    const known = await this.cursors.channel(communityId, id);
    if (known) return known;
    // Not listed yet (an export was imported, no live read since): named as the stored activities name it.
    const stored = await this.cursors.storedChannelName(communityId, id);
    if (!id.startsWith('C') && stored === undefined) return null;
    const kind: ChannelKind = id.startsWith('C') ? 'public' : id.startsWith('D') ? 'dm' : 'private';
    await this.cursors.putChannel(communityId, id, stored ?? null, kind);
    return { channelId: id, name: stored ?? null, kind };
  }

  /** Applies one envelope; returns the source type to count as ignored, or null when applied. */
  async apply(teamId: string, e: Obj, eventTime: number): Promise<string | null> {
    const communityId = `slack:${teamId}`;
    switch (e.type) {
      case 'message':
        return this.message(teamId, e);
      case 'reaction_added':
      case 'reaction_removed':
        return this.reaction(teamId, e);
      case 'member_joined_channel': {
        const ch = text(e.channel);
        const known = ch ? await this.channel(communityId, ch) : null;
        if (ch && known) {
          await this.cursors.noteMessage(communityId, ch, eventTime * 1000);
          // Someone (the app's bot, typically) joined a channel the reader had to skip: try it again.
          if ((await this.cursors.channel(communityId, ch))?.skippedReason)
            await this.cursors.clearSkipped(communityId, ch);
        }
        const user = text(e.user);
        if (user) await (await this.ctx(teamId)).resolveUser(user);
        return null;
      }
      case 'team_join':
      case 'user_change':
        return this.user(teamId, e);
      case 'channel_created':
      case 'channel_rename': {
        const c = obj(e.channel);
        const id = text(c.id);
        if (!id) return `${String(e.type)} without channel`;
        const kind =
          (await this.cursors.channel(communityId, id))?.kind ?? (c.is_private === true ? 'private' : 'public');
        await this.cursors.putChannel(communityId, id, text(c.name), kind);
        return null;
      }
      default:
        return 'unknown';
    }
  }

  private async message(teamId: string, e: Obj): Promise<string | null> {
    const communityId = `slack:${teamId}`;
    const subtype = text(e.subtype) ?? '';
    const channelId = text(e.channel);
    if (!channelId) return 'message without channel';
    if (MESSAGE_HOUSEKEEPING.has(subtype)) return subtype;
    const ch = await this.channel(communityId, channelId);
    if (!ch) return 'message in a conversation not read';
    if (subtype === 'message_deleted') {
      const ts = text(e.deleted_ts) ?? text(obj(e.previous_message).ts);
      if (!ts) return 'message_deleted without deleted_ts';
      const n = await this.writer.deleteActivityTree(`slack:${teamId}:${channelId}:${ts}`);
      return n > 0 ? null : 'message_deleted (message not stored)';
    }
    // An edit carries the whole new message: stored as the export would store it, even if never seen.
    const message = subtype === 'message_changed' ? obj(e.message) : e;
    if (!text(message.ts)) return `${subtype || 'message'} without ts`;
    const before = this.writer.activitiesSeen;
    await processMessages(await this.ctx(teamId), conversationOf(ch), [message], new Map());
    const ts = text(message.ts) as string;
    await this.cursors.noteMessage(communityId, channelId, slackTsToMs(ts));
    return this.writer.activitiesSeen > before ? null : (text(message.subtype) ?? 'message without user');
  }

  private async reaction(teamId: string, e: Obj): Promise<string | null> {
    const communityId = `slack:${teamId}`;
    const item = obj(e.item);
    const channelId = text(item.channel);
    const ts = text(item.ts);
    const name = text(e.reaction);
    const user = text(e.user);
    if (item.type !== 'message' || !channelId || !ts)
      return `${String(e.type)} on a ${text(item.type) ?? 'non-message'}`;
    if (!name || !user) return `${String(e.type)} without user or reaction`;
    const ch = await this.channel(communityId, channelId);
    if (!ch) return 'reaction in a conversation not read';
    const messageId = `slack:${teamId}:${channelId}:${ts}`;
    const id = `${messageId}:reaction:${name}:${user}`;
    if (e.type === 'reaction_removed') {
      return (await this.writer.deleteActivity(id)) ? null : 'reaction_removed (reaction not stored)';
    }
    const ctx = await this.ctx(teamId);
    const reactor = await ctx.resolveUser(user);
    const stored = (await this.store.getActivity(messageId))?.row;
    const itemUser = text(e.item_user);
    const target = stored?.memberId ?? (itemUser ? (await ctx.resolveUser(itemUser)).id : null);
    const threadTs = stored?.threadId ?? null;
    const eventTs = text(e.event_ts) ?? ts;
    const occurredMs = slackTsToMs(eventTs);
    const conv = conversationOf(ch);
    const place = placeName(conv.name, conv.kind === 'dm' ? 'dm' : conv.kind === 'mpim' ? 'mpim' : 'channel');
    const domain = ctx.domain;
    await this.writer.putActivity(
      {
        tightknitId: id,
        communityId,
        memberId: reactor.id,
        targetMemberId: target,
        activityType: 'reaction_added',
        sourceType: 'reaction',
        occurredAt: new Date(occurredMs).toISOString(),
        channelId,
        channelName: conv.name,
        threadId: threadTs,
        permalink: stored?.permalink ?? permalink(domain, channelId, ts, threadTs),
        summary: summaryLine('reaction_added', place, { reaction: name }),
        metadata: JSON.stringify({ reaction: name, permalink: { domain, channel: channelId, ts, threadTs } }),
      },
      reactor.deleted,
      occurredMs,
    );
    await this.cursors.noteMessage(communityId, channelId, occurredMs);
    return null;
  }

  private async user(teamId: string, e: Obj): Promise<string | null> {
    const communityId = `slack:${teamId}`;
    const u = readSlackUser(e.user);
    if (!u) return `${String(e.type)} without user id`;
    this.authors.delete(u.id);
    await this.writer.putMember(toMember(u, teamId, communityId));
    if (u.botId) await this.cursors.putBot(communityId, u.botId, u.id);
    return null;
  }
}

/** User ids that message events of the batch name and the store lacks (fetched before the transaction). */
async function unknownUsers(
  store: AsyncStore,
  events: Array<{ teamId: string; body: string }>,
): Promise<Array<{ teamId: string; id: string }>> {
  const out = new Map<string, { teamId: string; id: string }>();
  for (const ev of events) {
    let e: Obj;
    try {
      e = obj(obj(JSON.parse(ev.body)).event);
    } catch {
      continue;
    }
    const msg = e.subtype === 'message_changed' ? obj(e.message) : e;
    const ids = [text(msg.user), text(e.type === 'reaction_added' ? e.user : null)];
    for (const id of ids) {
      if (id && !(await store.getMember(memberId(ev.teamId, id))))
        out.set(`${ev.teamId}:${id}`, { teamId: ev.teamId, id });
    }
  }
  return [...out.values()].slice(0, USERS_INFO_MAX);
}

async function fetchUsers(api: SlackApi, wanted: Array<{ id: string }>): Promise<Map<string, unknown>> {
  const users = new Map<string, unknown>();
  for (const { id } of wanted) {
    const res = await api.call('users.info', { user: id });
    if (res.user) users.set(id, res.user);
  }
  return users;
}

/**
 * Applies the inbox's pending events to the store, oldest first, in batches: each batch's store writes
 * and its events' "applied" marks commit together, so an event is applied exactly once. Unknown event
 * types are acknowledged and counted (inbox.noteUnknownType).
 */
export async function applySlackEvents(
  opts: ApplyOptions,
): Promise<{ applied: number; ignored: Record<string, number> }> {
  const now = opts.now ?? new Date();
  const engagement = opts.engagement ?? DEFAULT_ENGAGEMENT;
  const limit = opts.limit ?? 500;
  const api = opts.client ? new SlackApi(opts.client) : null;
  const ignored: Record<string, number> = {};
  let applied = 0;
  let wrote = false;
  for (;;) {
    const batch = await opts.inbox.pending(limit);
    if (batch.length === 0) break;
    const unknown = await unknownUsers(opts.store, batch);
    const fetched = api ? await fetchUsers(api, unknown) : new Map<string, unknown>();
    const writer = await opts.store.beginWrite();
    try {
      const applier = new Applier(writer, opts.store, fetched, now);
      // Users only placeholders stand for: the next poll reads users.list again instead of waiting an hour.
      for (const u of unknown)
        if (!fetched.has(u.id)) await applier.cursors.setMeta(`slack:${u.teamId}`, 'directory_stale', '1');
      for (const ev of batch) {
        let envelope: Obj;
        try {
          envelope = obj(JSON.parse(ev.body));
        } catch {
          countIgnored(applier.report, 'unreadable envelope');
          continue;
        }
        const e = obj(envelope.event);
        const eventTime = typeof envelope.event_time === 'number' ? envelope.event_time : now.getTime() / 1000;
        const result = await applier.apply(ev.teamId, e, eventTime);
        if (result === 'unknown') await opts.inbox.noteUnknownType(ev.type);
        if (result !== null) countIgnored(applier.report, result === 'unknown' ? `unknown type ${ev.type}` : result);
        else applied += 1;
      }
      await writer.inbox.markApplied(batch.map((ev) => ev.eventId));
      const counts = await writer.commit(now, engagement, { memberStats: false });
      for (const [k, n] of Object.entries(applier.report.ignored)) ignored[k] = (ignored[k] ?? 0) + n;
      if (
        counts.activities.new +
          counts.activities.changed +
          counts.activities.deleted +
          counts.members.new +
          counts.members.changed >
        0
      ) {
        wrote = true;
      }
    } catch (err) {
      await writer.rollback();
      throw err;
    }
    if (batch.length < limit) break;
  }
  if (wrote) {
    const writer = await opts.store.beginWrite();
    try {
      await writer.commit(now, engagement);
    } catch (err) {
      await writer.rollback();
      throw err;
    }
  }
  return { applied, ignored };
}
