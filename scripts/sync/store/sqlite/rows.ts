import type { ActivityType, EngagementLevel } from '../../engagement';
import type {
  ActivityRow,
  CommunityInput,
  CommunityRow,
  MemberInput,
  MemberRow,
  MemberStatus,
  StoredRow,
} from '../types';

/*
 * Row <-> record mapping for the three community tables; their column lists are in ../columns.ts.
 */

type Sql = string | number | null;

export interface CommunityDb {
  id: string;
  seq: number;
  deleted: number;
  name: string;
  platform: string;
  slack_team_id: string | null;
  slack_domain: string | null;
  slack_url: string | null;
  logo_url: string | null;
  studio_url: string | null;
  description: string | null;
  member_count: number;
}

export interface MemberDb {
  id: string;
  seq: number;
  deleted: number;
  community_id: string;
  name: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  slack_user_id: string | null;
  avatar_url: string | null;
  time_zone: string | null;
  status: string;
  is_bot: number;
  joined_at: string | null;
  profile_url: string | null;
  is_placeholder: number;
  last_active_at: string | null;
  activity_count: number;
  engagement_score: number;
  engagement_level: string;
}

export interface ActivityDb {
  id: string;
  seq: number;
  deleted: number;
  community_id: string;
  member_id: string;
  target_member_id: string | null;
  activity_type: string;
  source_type: string;
  occurred_at: string;
  occurred_ms: number;
  channel_id: string | null;
  channel_name: string | null;
  thread_id: string | null;
  permalink: string | null;
  summary: string;
  metadata: string | null;
}

/** The source-owned part of a member; the store maintains the rest. */

export function communityParams(c: CommunityInput): Record<string, Sql> {
  return {
    id: c.tightknitId,
    name: c.name,
    platform: c.platform,
    slack_team_id: c.slackTeamId,
    slack_domain: c.slackDomain,
    slack_url: c.slackUrl,
    logo_url: c.logoUrl,
    studio_url: c.studioUrl,
    description: c.description,
  };
}

export function memberParams(m: MemberInput): Record<string, Sql> {
  return {
    id: m.tightknitId,
    community_id: m.communityId,
    name: m.name,
    email: m.email,
    first_name: m.firstName,
    last_name: m.lastName,
    title: m.title,
    slack_user_id: m.slackUserId,
    avatar_url: m.avatarUrl,
    time_zone: m.timeZone,
    status: m.status,
    is_bot: m.isBot ? 1 : 0,
    joined_at: m.joinedAt,
    profile_url: m.profileUrl,
    is_placeholder: m.isPlaceholder ? 1 : 0,
  };
}

/** Positional values for upsertSql('activities', ACTIVITY_COLUMNS, ['deleted']): a million of these per ingest, so no objects. */
export function activityValues(a: ActivityRow, seq: number, deleted: boolean, occurredMs?: number): Sql[] {
  return [
    a.tightknitId,
    seq,
    a.communityId,
    a.memberId,
    a.targetMemberId,
    a.activityType,
    a.sourceType,
    a.occurredAt,
    occurredMs ?? Date.parse(a.occurredAt),
    a.channelId,
    a.channelName,
    a.threadId,
    a.permalink,
    a.summary,
    a.metadata,
    deleted ? 1 : 0,
  ];
}

/** Positional values in upsertSql order: id, seq, the columns, then the extra columns. */
export function rowValues(params: Record<string, Sql>, columns: readonly string[], seq: number, extra: Sql[]): Sql[] {
  return [params.id, seq, ...columns.map((c) => params[c]), ...extra];
}

export function toCommunity(r: CommunityDb): StoredRow<CommunityRow> {
  return {
    seq: r.seq,
    deleted: r.deleted === 1,
    row: {
      tightknitId: r.id,
      name: r.name,
      platform: r.platform === 'Slack' ? 'Slack' : 'Other',
      slackTeamId: r.slack_team_id,
      slackDomain: r.slack_domain,
      slackUrl: r.slack_url,
      logoUrl: r.logo_url,
      studioUrl: r.studio_url,
      description: r.description,
      memberCount: r.member_count,
    },
  };
}

export function toMember(r: MemberDb): StoredRow<MemberRow> {
  return {
    seq: r.seq,
    deleted: r.deleted === 1,
    row: {
      tightknitId: r.id,
      communityId: r.community_id,
      name: r.name,
      email: r.email,
      firstName: r.first_name,
      lastName: r.last_name,
      title: r.title,
      slackUserId: r.slack_user_id,
      avatarUrl: r.avatar_url,
      timeZone: r.time_zone,
      status: r.status as MemberStatus,
      isBot: r.is_bot === 1,
      joinedAt: r.joined_at,
      profileUrl: r.profile_url,
      isPlaceholder: r.is_placeholder === 1,
      lastActiveAt: r.last_active_at,
      activityCount: r.activity_count,
      engagementScore: r.engagement_score,
      engagementLevel: r.engagement_level as EngagementLevel,
    },
  };
}

export function toActivity(r: ActivityDb): StoredRow<ActivityRow> {
  return {
    seq: r.seq,
    deleted: r.deleted === 1,
    row: {
      tightknitId: r.id,
      communityId: r.community_id,
      memberId: r.member_id,
      targetMemberId: r.target_member_id,
      activityType: r.activity_type as ActivityType,
      sourceType: r.source_type,
      occurredAt: r.occurred_at,
      channelId: r.channel_id,
      channelName: r.channel_name,
      threadId: r.thread_id,
      permalink: r.permalink,
      summary: r.summary,
      metadata: r.metadata,
    },
  };
}

/**
 * `INSERT ... ON CONFLICT(id) DO UPDATE ... WHERE <some column differs>`: a row that is identical to the
 * stored one is not written at all, so its seq stays put. `extraCompare` adds columns that are written and
 * compared but not part of the source list (the deleted flag).
 */
export function upsertSql(table: string, columns: readonly string[], extraCompare: string[] = []): string {
  const all = [...columns, ...extraCompare];
  const cols = ['id', 'seq', ...all];
  const set = ['seq = excluded.seq', ...all.map((c) => `${c} = excluded.${c}`)].join(', ');
  const differs = all.map((c) => `${table}.${c} IS NOT excluded.${c}`).join(' OR ');
  return `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
    ON CONFLICT(id) DO UPDATE SET ${set} WHERE ${differs}`;
}
