import type { ActivityRow, CommunityInput, MemberInput, AsyncStoreWriter } from '../../store';
import { anonymizedMember } from '../../deleted-member';
import { invalidInput, type SourceContext } from '../report';
import { SUMMARY_MAX, placeName, summaryLine, truncateChars } from '../text';
import {
  FEED_ACTIVITY_TYPES,
  type ActivityEvent,
  type CommunityEvent,
  type MemberDeletedEvent,
  type MemberEvent,
} from './schema';

/** A member event of the feed with the line it is on. */
export type MemberChange = { line: number; event: MemberEvent | MemberDeletedEvent };

/** What the feed's first pass learned: each community's events, each member's changes, removed activities. */
export interface FeedFinalState {
  communityEvents: Map<string, CommunityEvent['community'][]>;
  memberChanges: Map<string, MemberChange[]>;
  removed: Set<string>;
}

type FinalMember = { row: MemberInput; purge: boolean } | null;

function iso(value: string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}

function pick<T>(value: T | null | undefined, previous: T | null | undefined): T | null {
  return value === undefined ? (previous ?? null) : value;
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
  return row.status === 'Deleted' ? anonymizedMember(row) : row;
}

async function storedMember(writer: AsyncStoreWriter, id: string): Promise<MemberInput | undefined> {
  const stored = await writer.getMember(id);
  if (!stored) return undefined;
  const { lastActiveAt: _a, activityCount: _c, engagementScore: _s, engagementLevel: _l, ...input } = stored.row;
  return input;
}

/** The activity row of an activity event, without its deleted flag. */
function activityRow(e: ActivityEvent): ActivityRow {
  const activityType = FEED_ACTIVITY_TYPES[e.type] ?? 'other';
  const meta = e.metadata ?? null;
  const extra = {
    reaction: typeof meta?.reaction === 'string' ? meta.reaction : undefined,
    eventName: typeof meta?.event_name === 'string' ? meta.event_name : undefined,
    sourceType: e.type,
  };
  return {
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
  };
}

const UNKNOWN_COMMUNITY_FIX =
  'Send a community.created event for it earlier in the feed, or ingest that community first.';

/**
 * The feed's second pass, one event at a time in file order: writes each community and member once, in
 * its final state (from the first pass), and each activity, already deleted when its member ends deleted.
 * Problems found while folding a member's events are kept by line and reported when the pass reaches it.
 */
export class FeedApplier {
  /** The line the pass is at, for the problems it reports. */
  lineNo = 0;
  private readonly lineProblems = new Map<number, string>();
  private readonly finalMembers = new Map<string, FinalMember>();
  /** Members known so far in file order → deleted (finally) at the source? */
  private readonly members = new Map<string, boolean>();
  private readonly communities = new Set<string>();
  private readonly writer: AsyncStoreWriter;

  constructor(
    private readonly ctx: SourceContext,
    private readonly path: string,
    private readonly state: FeedFinalState,
  ) {
    this.writer = ctx.writer;
  }

  /** Reports the current line as invalid input. */
  bad(problem: string, fix: string): void {
    invalidInput(this.ctx, { file: this.path, line: this.lineNo }, problem, fix);
  }

  /** Writes a community once, in its final state. */
  async community(e: CommunityEvent): Promise<void> {
    const id = e.community.id;
    if (this.communities.has(id)) return;
    let state = (await this.writer.getCommunity(id))?.row;
    for (const c of this.state.communityEvents.get(id) ?? [e.community]) {
      state = { ...mergeCommunity(c, state), memberCount: 0 };
    }
    const { memberCount: _n, ...input } = state!;
    await this.writer.putCommunity(input);
    this.communities.add(id);
  }

  /** Writes a member once, in its final state, at its first event (or reports this line's problem). */
  async memberChange(communityId: string, id: string, fix: string): Promise<void> {
    if (!(await this.communityKnown(communityId))) {
      this.bad(`community ${communityId} is unknown`, UNKNOWN_COMMUNITY_FIX);
      return;
    }
    await this.foldMember(id);
    const problem = this.lineProblems.get(this.lineNo);
    if (problem) {
      this.bad(problem, fix);
      return;
    }
    if (this.members.has(id)) return;
    const final = await this.foldMember(id);
    if (!final) return;
    await this.writer.putMember(final.row);
    if (final.purge) await this.writer.removeMember(id);
    this.members.set(id, final.purge || final.row.status === 'Deleted');
  }

  /** Writes an activity whose community and members are known, deleted when its member ends deleted. */
  async activity(e: ActivityEvent): Promise<void> {
    if (!(await this.communityKnown(e.community_id))) {
      this.bad(`community ${e.community_id} is unknown`, UNKNOWN_COMMUNITY_FIX);
      return;
    }
    const deleted = await this.memberDeleted(e.member_id);
    if (deleted === undefined) {
      this.bad(
        `activity ${e.id} is by member ${e.member_id}, who is unknown`,
        'Send a member.created event for that member earlier in the feed, or ingest the member first.',
      );
      return;
    }
    if (e.target_member_id && (await this.memberDeleted(e.target_member_id)) === undefined) {
      this.bad(
        `activity ${e.id} targets member ${e.target_member_id}, who is unknown`,
        'Send a member.created event for that member earlier in the feed, or drop target_member_id.',
      );
      return;
    }
    await this.writer.putActivity(activityRow(e), deleted || this.state.removed.has(e.id));
  }

  private async foldMember(id: string): Promise<FinalMember> {
    if (this.finalMembers.has(id)) return this.finalMembers.get(id)!;
    let state = await storedMember(this.writer, id);
    let purge = false;
    for (const { line, event } of this.state.memberChanges.get(id) ?? []) {
      if (event.type === 'member.deleted') {
        if (!state) this.lineProblems.set(line, `member ${id} is unknown`);
        else {
          state = anonymizedMember(state);
          purge = purge || event.purge === true;
        }
      } else {
        const merged = mergeMember(event, state);
        if (typeof merged === 'string') this.lineProblems.set(line, merged);
        else state = merged;
      }
    }
    const result = state ? { row: state, purge } : null;
    this.finalMembers.set(id, result);
    return result;
  }

  private async communityKnown(id: string): Promise<boolean> {
    if (this.communities.has(id)) return true;
    if (!(await this.writer.communityExists(id))) return false;
    this.communities.add(id);
    return true;
  }

  private async memberDeleted(id: string): Promise<boolean | undefined> {
    const cached = this.members.get(id);
    if (cached !== undefined) return cached;
    const stored = await this.writer.getMember(id);
    if (!stored) return undefined;
    // A member first seen here was stored by an earlier ingest; events later in this feed may still change it.
    const final = this.state.memberChanges.has(id) ? await this.foldMember(id) : null;
    const deleted = final
      ? final.purge || final.row.status === 'Deleted'
      : stored.deleted || stored.row.status === 'Deleted';
    this.members.set(id, deleted);
    return deleted;
  }
}
