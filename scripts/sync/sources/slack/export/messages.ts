import type { ActivityType } from '../../../engagement';
import type { ActivityPut, ActivityRow, AsyncStoreWriter } from '../../../store';
import { countIgnored, type SourceReport } from '../../report';
import { EXCERPT_MAX, placeName, slackTsToMs, summaryLine, truncateChars } from '../../text';
import { text } from './users';

/** A conversation of the export: a public or private channel, a group DM or a DM. */
export interface Conversation {
  id: string;
  name: string | null;
  folder: string;
  kind: 'public' | 'private' | 'mpim' | 'dm';
}

export interface Author {
  id: string;
  deleted: boolean;
}

export interface MessageContext {
  teamId: string;
  communityId: string;
  domain: string | null;
  writer: AsyncStoreWriter;
  report: SourceReport;
  /** The member of a Slack user id, creating a placeholder for ids users.json lacks. */
  resolveUser(userId: string): Promise<Author>;
  /** The member of a bot message without a user: the bot user of `botId`, else a placeholder bot. */
  resolveBot(botId: string, name: string | null): Promise<Author>;
  /** The member of a Slack user id or bot id already resolved (no store call), else undefined. */
  knownUser(userId: string): Author | undefined;
  knownBot(botId: string): Author | undefined;
  /**
   * Live reads: a reaction already stored is kept as it is (an event dated it exactly; history carries
   * no reaction time). The export writes every reaction it lists.
   */
  keepStoredReactions?: boolean;
}

/** Subtypes that are not activities: membership exits, channel housekeeping, deleted-message stubs. */
const NOT_ACTIVITIES = new Set([
  'tombstone',
  'channel_leave',
  'group_leave',
  'channel_topic',
  'group_topic',
  'channel_purpose',
  'group_purpose',
  'channel_name',
  'group_name',
  'channel_archive',
  'group_archive',
  'channel_unarchive',
  'group_unarchive',
  'channel_convert_to_private',
  'channel_convert_to_public',
  'message_deleted',
  'message_changed',
]);

/** Subtypes that are ordinary posts by a person or a bot. */
const POSTS = new Set(['', 'bot_message', 'me_message', 'file_share', 'thread_broadcast']);

const TS = /^\d{1,12}(\.\d{1,9})?$/;

function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

export function permalink(domain: string | null, channel: string, ts: string, threadTs: string | null): string | null {
  if (!domain) return null;
  const base = `https://${domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
}

function fileNames(m: Record<string, unknown>): string[] {
  if (!Array.isArray(m.files)) return [];
  const names: string[] = [];
  for (const f of m.files) {
    const file = obj(f);
    const name = file ? (text(file.name) ?? text(file.title)) : null;
    if (name) names.push(name);
  }
  return names;
}

/**
 * Turns one day file's messages into activities: the post itself (message, thread reply, file share,
 * channel join) and one reaction activity per user per reaction. `threadAuthors` carries thread
 * parents' authors across the channel's day files so replies can name the member they answer.
 */
export async function processMessages(
  ctx: MessageContext,
  conv: Conversation,
  messages: unknown[],
  threadAuthors: Map<string, string>,
): Promise<void> {
  const out = new PendingActivities(ctx);
  const place = placeName(conv.name, conv.kind === 'dm' ? 'dm' : conv.kind === 'mpim' ? 'mpim' : 'channel');
  for (const raw of messages) {
    const m = obj(raw);
    const ts = m && typeof m.ts === 'string' && TS.test(m.ts) ? m.ts : null;
    if (!m || !ts) {
      countIgnored(ctx.report, 'message without ts');
      continue;
    }
    const subtype = typeof m.subtype === 'string' ? m.subtype : '';
    if (NOT_ACTIVITIES.has(subtype)) {
      countIgnored(ctx.report, subtype);
      continue;
    }
    const userId = text(m.user);
    const botId = text(m.bot_id);
    let author: Author | null = null;
    if (userId) author = ctx.knownUser(userId) ?? (await out.user(userId));
    else if (botId) {
      const profile = obj(m.bot_profile);
      author = ctx.knownBot(botId) ?? (await out.bot(botId, text(m.username) ?? (profile ? text(profile.name) : null)));
    }
    if (!author) {
      countIgnored(ctx.report, `${subtype || 'message'} without user`);
      continue;
    }
    const threadTs = text(m.thread_ts);
    const isReply = (threadTs !== null && threadTs !== ts) || subtype === 'thread_broadcast';
    if (!isReply && (threadTs === ts || typeof m.reply_count === 'number')) threadAuthors.set(ts, author.id);

    const occurredMs = slackTsToMs(ts);
    const occurredAt = new Date(occurredMs).toISOString();
    const link = permalink(ctx.domain, conv.id, ts, threadTs);
    const files = fileNames(m);
    const baseId = `slack:${ctx.teamId}:${conv.id}:${ts}`;
    const parts = { domain: ctx.domain, channel: conv.id, ts, threadTs };

    let type: ActivityType;
    let id = baseId;
    let target: string | null = null;
    if (subtype === 'channel_join' || subtype === 'group_join') {
      type = 'channel_joined';
      id = `${baseId}:join`;
    } else if (isReply) {
      type = 'thread_reply';
      const parentUser = text(m.parent_user_id);
      target = parentUser
        ? (ctx.knownUser(parentUser) ?? (await out.user(parentUser))).id
        : (threadAuthors.get(threadTs ?? '') ??
          (await out.storedAuthor(`slack:${ctx.teamId}:${conv.id}:${threadTs ?? ''}`)) ??
          null);
    } else if (subtype === 'file_share' || files.length > 0) {
      type = 'file_shared';
    } else if (POSTS.has(subtype)) {
      type = 'message_sent';
    } else {
      type = 'other';
    }
    const body = typeof m.text === 'string' ? m.text : '';
    const metadata: Record<string, unknown> = { excerpt: truncateChars(body, EXCERPT_MAX), permalink: parts };
    if (subtype) metadata.subtype = subtype;
    if (files.length > 0) metadata.files = files;
    if (typeof m.reply_count === 'number') metadata.replyCount = m.reply_count;
    if (conv.kind !== 'public') metadata.conversation = conv.kind;

    const post: ActivityRow = {
      tightknitId: id,
      communityId: ctx.communityId,
      memberId: author.id,
      targetMemberId: target,
      activityType: type,
      sourceType: subtype || 'message',
      occurredAt,
      channelId: conv.id,
      channelName: conv.name,
      threadId: threadTs,
      permalink: link,
      summary: summaryLine(type, place, { sourceType: subtype }),
      metadata: JSON.stringify(metadata),
    };
    out.add({ row: post, deleted: author.deleted, occurredMs });
    if (Array.isArray(m.reactions)) await writeReactions(ctx, out, conv, m, post, occurredMs, author, place, parts);
  }
  await out.flush();
}

/**
 * The activities of one call, written to the store in one `putActivities` call. Anything that reads or
 * writes the store in between (a placeholder member, a thread parent's author) writes what is pending
 * first, so the store sees the writes in the order they were made.
 */
class PendingActivities {
  private readonly items: ActivityPut[] = [];

  constructor(private readonly ctx: MessageContext) {}

  add(item: ActivityPut): void {
    this.items.push(item);
  }

  async flush(): Promise<void> {
    if (this.items.length > 0) await this.ctx.writer.putActivities(this.items.splice(0));
  }

  async user(userId: string): Promise<Author> {
    await this.flush();
    return this.ctx.resolveUser(userId);
  }

  async bot(botId: string, name: string | null): Promise<Author> {
    await this.flush();
    return this.ctx.resolveBot(botId, name);
  }

  async storedAuthor(activityId: string): Promise<string | undefined> {
    await this.flush();
    return this.ctx.writer.activityMember(activityId);
  }
}

/** Reactions carry no time in an export: each one is dated at the message it reacts to. */
async function writeReactions(
  ctx: MessageContext,
  out: PendingActivities,
  conv: Conversation,
  m: Record<string, unknown>,
  post: ActivityRow,
  occurredMs: number,
  author: Author,
  place: string,
  parts: Record<string, unknown>,
): Promise<void> {
  if (!Array.isArray(m.reactions)) return;
  for (const r of m.reactions as unknown[]) {
    const reaction = obj(r);
    const name = reaction ? text(reaction.name) : null;
    if (!reaction || !name || !Array.isArray(reaction.users)) continue;
    for (const u of reaction.users) {
      const userId = text(u);
      if (!userId) continue;
      const reactor = ctx.knownUser(userId) ?? (await out.user(userId));
      const row: ActivityRow = {
        tightknitId: `${post.tightknitId.replace(/:join$/, '')}:reaction:${name}:${userId}`,
        communityId: ctx.communityId,
        memberId: reactor.id,
        targetMemberId: author.id,
        activityType: 'reaction_added',
        sourceType: 'reaction',
        occurredAt: post.occurredAt,
        channelId: conv.id,
        channelName: conv.name,
        threadId: post.threadId,
        permalink: post.permalink,
        summary: summaryLine('reaction_added', place, { reaction: name }),
        metadata: JSON.stringify({ reaction: name, permalink: parts }),
      };
      out.add({ row, deleted: reactor.deleted, occurredMs, ...(ctx.keepStoredReactions ? { ifAbsent: true } : {}) });
    }
  }
}
