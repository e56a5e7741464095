import type { WebClient } from '@slack/web-api';
import { DEFAULT_ENGAGEMENT, type EngagementConfig } from '../../engagement';
import type { Store, StoreWriter } from '../../store';
import { countIgnored, newReport, type SourceReport } from '../report';
import { permalink, processMessages, type Author, type MessageContext } from '../slack/messages';
import { memberId, readSlackUser, text, toMember } from '../slack/users';
import { placeName, slackTsToMs, summaryLine } from '../text';
import { SlackApi } from './api';
import { conversationOf, liveMessageContext } from './context';
import type { ChannelKind, SlackCursors } from '../../store';

/** What the applier needs of the event inbox (`EventInbox` in the store contract). */
interface InboxLike {
  pending(limit: number): Array<{ eventId: string; teamId: string; type: string; body: string }>;
  markApplied(eventIds: readonly string[]): void;
  noteUnknownType(type: string): void;
}

export interface ApplyOptions {
  store: Store;
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
  readonly cursors: SlackCursors;
  readonly report: SourceReport = newReport('slack-export');
  readonly authors = new Map<string, Author>();

  constructor(
    readonly writer: StoreWriter,
    readonly store: Store,
    readonly fetchedUsers: Map<string, unknown>,
    readonly now: Date,
  ) {
    this.cursors = store.slackCursors;
  }

  ctx(teamId: string): MessageContext {
    const communityId = `slack:${teamId}`;
    const domain = this.writer.getCommunity(communityId)?.row.slackDomain ?? null;
    for (const [id, raw] of this.fetchedUsers) {
      const u = readSlackUser(raw);
      if (u && !this.writer.memberExists(memberId(teamId, id))) this.writer.putMember(toMember(u, teamId, communityId));
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
  channel(communityId: string, id: string): { channelId: string; name: string | null; kind: ChannelKind } | null {
    const known = this.cursors.channel(communityId, id);
    if (known) return known;
    // Not listed yet (an export was imported, no live read since): named as the stored activities name it.
    const stored = this.cursors.storedChannelName(communityId, id);
    if (!id.startsWith('C') && stored === undefined) return null;
    const kind: ChannelKind = id.startsWith('C') ? 'public' : id.startsWith('D') ? 'dm' : 'private';
    this.cursors.putChannel(communityId, id, stored ?? null, kind);
    return { channelId: id, name: stored ?? null, kind };
  }

  /** Applies one envelope; returns the source type to count as ignored, or null when applied. */
  apply(teamId: string, e: Obj, eventTime: number): string | null {
    const communityId = `slack:${teamId}`;
    switch (e.type) {
      case 'message':
        return this.message(teamId, e);
      case 'reaction_added':
      case 'reaction_removed':
        return this.reaction(teamId, e);
      case 'member_joined_channel': {
        const ch = text(e.channel);
        const known = ch ? this.channel(communityId, ch) : null;
        if (ch && known) {
          this.cursors.noteMessage(communityId, ch, eventTime * 1000);
          // Someone (the app's bot, typically) joined a channel the reader had to skip: try it again.
          if (this.cursors.channel(communityId, ch)?.skippedReason) this.cursors.clearSkipped(communityId, ch);
        }
        const user = text(e.user);
        if (user) this.ctx(teamId).resolveUser(user);
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
        const kind = this.cursors.channel(communityId, id)?.kind ?? (c.is_private === true ? 'private' : 'public');
        this.cursors.putChannel(communityId, id, text(c.name), kind);
        return null;
      }
      default:
        return 'unknown';
    }
  }

  private message(teamId: string, e: Obj): string | null {
    const communityId = `slack:${teamId}`;
    const subtype = text(e.subtype) ?? '';
    const channelId = text(e.channel);
    if (!channelId) return 'message without channel';
    if (MESSAGE_HOUSEKEEPING.has(subtype)) return subtype;
    const ch = this.channel(communityId, channelId);
    if (!ch) return 'message in a conversation not read';
    if (subtype === 'message_deleted') {
      const ts = text(e.deleted_ts) ?? text(obj(e.previous_message).ts);
      if (!ts) return 'message_deleted without deleted_ts';
      const n = this.writer.deleteActivityTree(`slack:${teamId}:${channelId}:${ts}`);
      return n > 0 ? null : 'message_deleted (message not stored)';
    }
    // An edit carries the whole new message: stored as the export would store it, even if never seen.
    const message = subtype === 'message_changed' ? obj(e.message) : e;
    if (!text(message.ts)) return `${subtype || 'message'} without ts`;
    const before = this.writer.activitiesSeen;
    processMessages(this.ctx(teamId), conversationOf(ch), [message], new Map());
    const ts = text(message.ts) as string;
    this.cursors.noteMessage(communityId, channelId, slackTsToMs(ts));
    return this.writer.activitiesSeen > before ? null : (text(message.subtype) ?? 'message without user');
  }

  private reaction(teamId: string, e: Obj): string | null {
    const communityId = `slack:${teamId}`;
    const item = obj(e.item);
    const channelId = text(item.channel);
    const ts = text(item.ts);
    const name = text(e.reaction);
    const user = text(e.user);
    if (item.type !== 'message' || !channelId || !ts)
      return `${String(e.type)} on a ${text(item.type) ?? 'non-message'}`;
    if (!name || !user) return `${String(e.type)} without user or reaction`;
    const ch = this.channel(communityId, channelId);
    if (!ch) return 'reaction in a conversation not read';
    const messageId = `slack:${teamId}:${channelId}:${ts}`;
    const id = `${messageId}:reaction:${name}:${user}`;
    if (e.type === 'reaction_removed') {
      return this.writer.deleteActivity(id) ? null : 'reaction_removed (reaction not stored)';
    }
    const ctx = this.ctx(teamId);
    const reactor = ctx.resolveUser(user);
    const stored = this.store.getActivity(messageId)?.row;
    const itemUser = text(e.item_user);
    const target = stored?.memberId ?? (itemUser ? ctx.resolveUser(itemUser).id : null);
    const threadTs = stored?.threadId ?? null;
    const eventTs = text(e.event_ts) ?? ts;
    const occurredMs = slackTsToMs(eventTs);
    const conv = conversationOf(ch);
    const place = placeName(conv.name, conv.kind === 'dm' ? 'dm' : conv.kind === 'mpim' ? 'mpim' : 'channel');
    const domain = ctx.domain;
    this.writer.putActivity(
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
    this.cursors.noteMessage(communityId, channelId, occurredMs);
    return null;
  }

  private user(teamId: string, e: Obj): string | null {
    const communityId = `slack:${teamId}`;
    const u = readSlackUser(e.user);
    if (!u) return `${String(e.type)} without user id`;
    this.authors.delete(u.id);
    this.writer.putMember(toMember(u, teamId, communityId));
    if (u.botId) this.cursors.putBot(communityId, u.botId, u.id);
    return null;
  }
}

/** User ids that message events of the batch name and the store lacks (fetched before the transaction). */
function unknownUsers(
  store: Store,
  events: Array<{ teamId: string; body: string }>,
): Array<{ teamId: string; id: string }> {
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
      if (id && !store.getMember(memberId(ev.teamId, id))) out.set(`${ev.teamId}:${id}`, { teamId: ev.teamId, id });
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
    const batch = opts.inbox.pending(limit);
    if (batch.length === 0) break;
    const unknown = unknownUsers(opts.store, batch);
    const fetched = api ? await fetchUsers(api, unknown) : new Map<string, unknown>();
    const writer = opts.store.beginWrite();
    try {
      const applier = new Applier(writer, opts.store, fetched, now);
      // Users only placeholders stand for: the next poll reads users.list again instead of waiting an hour.
      for (const u of unknown)
        if (!fetched.has(u.id)) applier.cursors.setMeta(`slack:${u.teamId}`, 'directory_stale', '1');
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
        const result = applier.apply(ev.teamId, e, eventTime);
        if (result === 'unknown') opts.inbox.noteUnknownType(ev.type);
        if (result !== null) countIgnored(applier.report, result === 'unknown' ? `unknown type ${ev.type}` : result);
        else applied += 1;
      }
      opts.inbox.markApplied(batch.map((ev) => ev.eventId));
      const counts = writer.commit(now, engagement, { memberStats: false });
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
      writer.rollback();
      throw err;
    }
    if (batch.length < limit) break;
  }
  if (wrote) {
    const writer = opts.store.beginWrite();
    try {
      writer.commit(now, engagement);
    } catch (err) {
      writer.rollback();
      throw err;
    }
  }
  return { applied, ignored };
}
