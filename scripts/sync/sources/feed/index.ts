import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { CommunityInput, MemberInput, StoreWriter } from '../../store';
import { countIgnored, invalidInput, type SourceContext } from '../report';
import { SUMMARY_MAX, placeName, summaryLine, truncateChars } from '../text';
import {
  FEED_ACTIVITY_TYPES,
  parseFeedEvent,
  type ActivityEvent,
  type CommunityEvent,
  type FeedEvent,
  type MemberDeletedEvent,
  type MemberEvent,
} from './schema';

/** Lines worth parsing in the first pass: community and member events and activity removals. */
const STATE_LINE = /"type"\s*:\s*"(?:member\.|community\.|[a-z0-9_]+\.(?:deleted|removed)")/;

type MemberChange = { line: number; event: MemberEvent | MemberDeletedEvent };

async function* readLines(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<[number, string]> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (n % 5000 === 0) onBytes?.(input.bytesRead);
    yield [n, n === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line];
  }
}

function parseLine(line: string): { ok: true; value: FeedEvent } | { ok: false; problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return { ok: false, problem: `not valid JSON: ${(err as Error).message}` };
  }
  return parseFeedEvent(raw);
}

function iso(value: string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}

function pick<T>(value: T | null | undefined, previous: T | null | undefined): T | null {
  return value === undefined ? (previous ?? null) : value;
}

/** Clears what identifies a person; the row itself stays so history and counts keep their member. */
function deletedMember(m: MemberInput): MemberInput {
  return {
    ...m,
    name: m.slackUserId ? `Deleted user ${m.slackUserId}` : 'Deleted user',
    email: null,
    firstName: null,
    lastName: null,
    title: null,
    avatarUrl: null,
    timeZone: null,
    profileUrl: null,
    status: 'Deleted',
  };
}

function mergeCommunity(c: CommunityEvent['community'], old: CommunityInput | undefined): CommunityInput {
  return {
    tightknitId: c.id,
    name: c.name,
    platform: c.platform ?? old?.platform ?? (c.slack_team_id ? 'Slack' : 'Other'),
    slackTeamId: pick(c.slack_team_id, old?.slackTeamId),
    slackDomain: pick(c.slack_domain, old?.slackDomain),
    slackUrl: pick(c.slack_url, old?.slackUrl),
    logoUrl: pick(c.logo_url, old?.logoUrl),
    studioUrl: pick(c.studio_url, old?.studioUrl),
    description: pick(c.description, old?.description),
  };
}

function mergeMember(e: MemberEvent, old: MemberInput | undefined): MemberInput | string {
  const m = e.member;
  const name = m.name ?? old?.name;
  if (!name) return `member ${m.id} is new and has no "name"`;
  const row: MemberInput = {
    tightknitId: m.id,
    communityId: e.community_id,
    name,
    email: pick(m.email, old?.email),
    firstName: pick(m.first_name, old?.firstName),
    lastName: pick(m.last_name, old?.lastName),
    title: pick(m.title, old?.title),
    slackUserId: pick(m.slack_user_id, old?.slackUserId),
    avatarUrl: pick(m.avatar_url, old?.avatarUrl),
    timeZone: pick(m.time_zone, old?.timeZone),
    status: m.status ?? old?.status ?? 'Active',
    isBot: m.is_bot ?? old?.isBot ?? false,
    joinedAt: m.joined_at === undefined ? (old?.joinedAt ?? null) : iso(m.joined_at),
    profileUrl: pick(m.profile_url, old?.profileUrl),
    isPlaceholder: false,
  };
  return row.status === 'Deleted' ? deletedMember(row) : row;
}

function storedMember(writer: StoreWriter, id: string): MemberInput | undefined {
  const stored = writer.getMember(id);
  if (!stored) return undefined;
  const { lastActiveAt: _a, activityCount: _c, engagementScore: _s, engagementLevel: _l, ...input } = stored.row;
  return input;
}

/** Numbered lines of a feed that can be read more than once (the import makes two passes). */
export interface FeedLines {
  /** The file path, or "standard input", for messages and skipped lines. */
  label: string;
  /** Bytes in all, for progress (0: no progress is reported). */
  total: number;
  read(onBytes?: (bytes: number) => void): AsyncIterable<[number, string]> | Iterable<[number, string]>;
}

/**
 * Imports an NDJSON event feed, streaming it twice (never whole in memory). The first pass folds each
 * community's and member's events into their final state and notes removed activities; the second
 * applies events in file order, writing each community and member once, in its final state. Replaying
 * the same feed therefore changes nothing, and an activity by a member deleted later in the feed is
 * stored already deleted.
 */
export async function ingestEventFeed(path: string, ctx: SourceContext): Promise<void> {
  const total = statSync(path).size;
  await applyFeedLines({ label: path, total, read: (onBytes) => readLines(path, onBytes) }, ctx);
  ctx.report.filesRead += 1;
}

/** Applies feed lines to the writer of `ctx`, as ingestEventFeed describes (a followed feed: one batch). */
export async function applyFeedLines(feed: FeedLines, ctx: SourceContext): Promise<void> {
  const { writer, report } = ctx;
  const { label: path, total } = feed;
  const file = basename(path);

  // Pass 1: the final state of communities and members, and removed activities.
  const communityEvents = new Map<string, CommunityEvent['community'][]>();
  const memberChanges = new Map<string, MemberChange[]>();
  const removed = new Set<string>();
  for await (const [lineNo, line] of feed.read()) {
    if (!STATE_LINE.test(line)) continue;
    const parsed = parseLine(line);
    if (!parsed.ok) continue; // reported in pass 2, at its place
    const ev = parsed.value;
    if (ev.kind === 'community') {
      const list = communityEvents.get(ev.event.community.id) ?? [];
      list.push(ev.event.community);
      communityEvents.set(ev.event.community.id, list);
    } else if (ev.kind === 'member' || ev.kind === 'member-deleted') {
      const id = ev.kind === 'member' ? ev.event.member.id : ev.event.member_id;
      const list = memberChanges.get(id) ?? [];
      list.push({ line: lineNo, event: ev.event });
      memberChanges.set(id, list);
    } else if (ev.kind === 'activity-removed') {
      removed.add(ev.event.id);
    }
  }

  // Folding a member's events: problems are kept by line and reported when pass 2 reaches that line.
  const lineProblems = new Map<number, string>();
  const finalMembers = new Map<string, { row: MemberInput; purge: boolean } | null>();
  const foldMember = (id: string): { row: MemberInput; purge: boolean } | null => {
    if (finalMembers.has(id)) return finalMembers.get(id)!;
    let state = storedMember(writer, id);
    let purge = false;
    for (const { line, event } of memberChanges.get(id) ?? []) {
      if (event.type === 'member.deleted') {
        if (!state) lineProblems.set(line, `member ${id} is unknown`);
        else {
          state = deletedMember(state);
          purge = purge || event.purge === true;
        }
      } else {
        const merged = mergeMember(event, state);
        if (typeof merged === 'string') lineProblems.set(line, merged);
        else state = merged;
      }
    }
    const result = state ? { row: state, purge } : null;
    finalMembers.set(id, result);
    return result;
  };

  /** Members known so far in file order → deleted (finally) at the source? */
  const members = new Map<string, boolean>();
  const communities = new Set<string>();
  let lineNo = 0;
  const bad = (problem: string, fix: string): void => invalidInput(ctx, { file: path, line: lineNo }, problem, fix);

  const communityKnown = (id: string): boolean => {
    if (communities.has(id)) return true;
    if (!writer.communityExists(id)) return false;
    communities.add(id);
    return true;
  };
  const memberDeleted = (id: string): boolean | undefined => {
    const cached = members.get(id);
    if (cached !== undefined) return cached;
    const stored = writer.getMember(id);
    if (!stored) return undefined;
    // A member first seen here was stored by an earlier ingest; events later in this feed may still change it.
    const final = memberChanges.has(id) ? foldMember(id) : null;
    const deleted = final
      ? final.purge || final.row.status === 'Deleted'
      : stored.deleted || stored.row.status === 'Deleted';
    members.set(id, deleted);
    return deleted;
  };

  const applyCommunity = (e: CommunityEvent): void => {
    const id = e.community.id;
    if (communities.has(id)) return;
    let state = writer.getCommunity(id)?.row;
    for (const c of communityEvents.get(id) ?? [e.community]) state = { ...mergeCommunity(c, state), memberCount: 0 };
    const { memberCount: _n, ...input } = state!;
    writer.putCommunity(input);
    communities.add(id);
  };

  const applyMemberChange = (communityId: string, id: string, fix: string): void => {
    if (!communityKnown(communityId)) {
      bad(
        `community ${communityId} is unknown`,
        'Send a community.created event for it earlier in the feed, or ingest that community first.',
      );
      return;
    }
    foldMember(id);
    const problem = lineProblems.get(lineNo);
    if (problem) {
      bad(problem, fix);
      return;
    }
    if (members.has(id)) return;
    const final = foldMember(id);
    if (!final) return;
    writer.putMember(final.row);
    if (final.purge) writer.removeMember(id);
    members.set(id, final.purge || final.row.status === 'Deleted');
  };

  const applyActivity = (e: ActivityEvent): void => {
    if (!communityKnown(e.community_id)) {
      bad(
        `community ${e.community_id} is unknown`,
        'Send a community.created event for it earlier in the feed, or ingest that community first.',
      );
      return;
    }
    const deleted = memberDeleted(e.member_id);
    if (deleted === undefined) {
      bad(
        `activity ${e.id} is by member ${e.member_id}, who is unknown`,
        'Send a member.created event for that member earlier in the feed, or ingest the member first.',
      );
      return;
    }
    if (e.target_member_id && memberDeleted(e.target_member_id) === undefined) {
      bad(
        `activity ${e.id} targets member ${e.target_member_id}, who is unknown`,
        'Send a member.created event for that member earlier in the feed, or drop target_member_id.',
      );
      return;
    }
    const activityType = FEED_ACTIVITY_TYPES[e.type] ?? 'other';
    const meta = e.metadata ?? null;
    const extra = {
      reaction: typeof meta?.reaction === 'string' ? meta.reaction : undefined,
      eventName: typeof meta?.event_name === 'string' ? meta.event_name : undefined,
      sourceType: e.type,
    };
    writer.putActivity(
      {
        tightknitId: e.id,
        communityId: e.community_id,
        memberId: e.member_id,
        targetMemberId: e.target_member_id ?? null,
        activityType,
        sourceType: e.type,
        occurredAt: new Date(e.occurred_at).toISOString(),
        channelId: e.channel_id ?? null,
        channelName: e.channel_name ?? null,
        threadId: e.thread_id ?? null,
        permalink: e.permalink ?? null,
        summary: e.summary
          ? truncateChars(e.summary, SUMMARY_MAX)
          : summaryLine(activityType, e.channel_name ? placeName(e.channel_name) : null, extra),
        metadata: meta ? JSON.stringify(meta) : null,
      },
      deleted || removed.has(e.id),
    );
  };

  // Pass 2: every line in order.
  const progress = (bytes: number): void => {
    if (total > 0) ctx.onProgress?.({ phase: 'feed', done: bytes, total, detail: file });
  };
  for await (const [n, line] of feed.read(progress)) {
    lineNo = n;
    if (line.trim() === '') continue;
    report.linesRead += 1;
    const parsed = parseLine(line);
    if (!parsed.ok) {
      bad(parsed.problem, 'Fix the line to match schemas/event-feed.schema.json (see docs/sources.md).');
      continue;
    }
    const ev = parsed.value;
    switch (ev.kind) {
      case 'community':
        applyCommunity(ev.event);
        break;
      case 'member':
        applyMemberChange(ev.event.community_id, ev.event.member.id, 'Give a new member a name in its first event.');
        break;
      case 'member-deleted':
        applyMemberChange(
          ev.event.community_id,
          ev.event.member_id,
          'Remove the line, or send the member.created event before it.',
        );
        break;
      case 'activity-removed':
        if (!writer.deleteActivity(ev.event.id) && !writer.activityMember(ev.event.id)) {
          countIgnored(report, `${ev.event.type} of an unknown activity`);
        }
        break;
      case 'activity':
        applyActivity(ev.event);
        break;
    }
  }
  progress(total);
}
