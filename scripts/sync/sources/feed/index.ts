import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { MemberInput } from '../../store';
import { countIgnored, invalidInput, type SourceContext } from '../report';
import { SUMMARY_MAX, placeName, summaryLine, truncateChars } from '../text';
import {
  FEED_ACTIVITY_TYPES,
  parseFeedEvent,
  type ActivityEvent,
  type CommunityEvent,
  type MemberDeletedEvent,
  type MemberEvent,
} from './schema';

function iso(value: string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
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

/**
 * Imports an NDJSON event feed line by line (never the whole file in memory). Events apply in file
 * order, so a member must be created before its first activity.
 */
export async function ingestEventFeed(path: string, ctx: SourceContext): Promise<void> {
  const { writer, report } = ctx;
  const file = basename(path);
  const total = statSync(path).size;
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  /** Known members → deleted at the source? Saves a query per activity. */
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
    const deleted = stored.deleted || stored.row.status === 'Deleted';
    members.set(id, deleted);
    return deleted;
  };

  const applyCommunity = (e: CommunityEvent): void => {
    const c = e.community;
    const old = writer.getCommunity(c.id)?.row;
    const pick = <T>(value: T | null | undefined, previous: T | null | undefined): T | null =>
      value === undefined ? (previous ?? null) : value;
    writer.putCommunity({
      tightknitId: c.id,
      name: c.name,
      platform: c.platform ?? old?.platform ?? (c.slack_team_id ? 'Slack' : 'Other'),
      slackTeamId: pick(c.slack_team_id, old?.slackTeamId),
      slackDomain: pick(c.slack_domain, old?.slackDomain),
      slackUrl: pick(c.slack_url, old?.slackUrl),
      logoUrl: pick(c.logo_url, old?.logoUrl),
      studioUrl: pick(c.studio_url, old?.studioUrl),
      description: pick(c.description, old?.description),
    });
    communities.add(c.id);
  };

  const applyMember = (e: MemberEvent): void => {
    if (!communityKnown(e.community_id)) {
      bad(
        `community ${e.community_id} is unknown`,
        'Send a community.created event for it earlier in the feed, or ingest that community first.',
      );
      return;
    }
    const m = e.member;
    const old = writer.getMember(m.id)?.row;
    const name = m.name ?? old?.name;
    if (!name) {
      bad(`member ${m.id} is new and has no "name"`, 'Give the member a name in its first member.created event.');
      return;
    }
    const pick = <T>(value: T | null | undefined, previous: T | null | undefined): T | null =>
      value === undefined ? (previous ?? null) : value;
    let row: MemberInput = {
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
    if (row.status === 'Deleted') row = deletedMember(row);
    writer.putMember(row);
    members.set(m.id, row.status === 'Deleted');
  };

  const applyMemberDeleted = (e: MemberDeletedEvent): void => {
    const stored = writer.getMember(e.member_id);
    if (!stored) {
      bad(`member ${e.member_id} is unknown`, 'Remove the line, or send the member.created event before it.');
      return;
    }
    if (e.purge) writer.removeMember(e.member_id);
    else {
      const { lastActiveAt: _a, activityCount: _c, engagementScore: _s, engagementLevel: _l, ...input } = stored.row;
      writer.putMember(deletedMember(input));
    }
    members.set(e.member_id, true);
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
      deleted,
    );
  };

  for await (const line of lines) {
    lineNo += 1;
    if (lineNo % 5000 === 0) ctx.onProgress?.({ phase: 'feed', done: input.bytesRead, total, detail: file });
    if (line.trim() === '') continue;
    report.linesRead += 1;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      bad(`not valid JSON: ${(err as Error).message}`, 'Write one complete JSON object per line.');
      continue;
    }
    const parsed = parseFeedEvent(raw);
    if (!parsed.ok) {
      bad(parsed.problem, 'Fix the event to match schemas/event-feed.schema.json (see docs/sources.md).');
      continue;
    }
    const ev = parsed.value;
    switch (ev.kind) {
      case 'community':
        applyCommunity(ev.event);
        break;
      case 'member':
        applyMember(ev.event);
        break;
      case 'member-deleted':
        applyMemberDeleted(ev.event);
        break;
      case 'activity-removed':
        if (!writer.deleteActivity(ev.event.id)) countIgnored(report, `${ev.event.type} of an unknown activity`);
        break;
      case 'activity':
        applyActivity(ev.event);
        break;
    }
  }
  report.filesRead += 1;
  ctx.onProgress?.({ phase: 'feed', done: total, total, detail: file });
}
