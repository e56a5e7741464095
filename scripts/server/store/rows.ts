import type {
  ACTIVITY_COLUMNS,
  COMMUNITY_COLUMNS,
  MEMBER_SOURCE_COLUMNS,
  MEMBER_STATS_COLUMNS,
} from '../../sync/store/columns';
import type { ActivityRow, CommunityRow, MemberRow, ObjectKind, StoredRow } from '../../sync/store/types';

/** A map from each of `columns` (no more, no fewer) to the record field it holds. */
type FieldsOf<Columns extends readonly string[], Row> = Record<Columns[number], keyof Row>;

/** The tables of the three kinds. */
export const TABLES: Record<ObjectKind, string> = {
  community: 'communities',
  member: 'members',
  activity: 'activities',
};

/**
 * Source-owned columns of each kind, with the record field each maps to (also the write order). The
 * columns are store/columns.ts's lists (the compiler holds each map to exactly them); occurred_ms, which
 * the store derives from occurred_at, is written apart.
 */
export const COMMUNITY_FIELDS = {
  name: 'name',
  platform: 'platform',
  slack_team_id: 'slackTeamId',
  slack_domain: 'slackDomain',
  slack_url: 'slackUrl',
  logo_url: 'logoUrl',
  studio_url: 'studioUrl',
  description: 'description',
} as const satisfies FieldsOf<typeof COMMUNITY_COLUMNS, CommunityRow>;

export const MEMBER_FIELDS = {
  community_id: 'communityId',
  name: 'name',
  email: 'email',
  first_name: 'firstName',
  last_name: 'lastName',
  title: 'title',
  slack_user_id: 'slackUserId',
  avatar_url: 'avatarUrl',
  time_zone: 'timeZone',
  status: 'status',
  is_bot: 'isBot',
  joined_at: 'joinedAt',
  profile_url: 'profileUrl',
  is_placeholder: 'isPlaceholder',
} as const satisfies FieldsOf<typeof MEMBER_SOURCE_COLUMNS, MemberRow>;

export const ACTIVITY_FIELDS = {
  community_id: 'communityId',
  member_id: 'memberId',
  target_member_id: 'targetMemberId',
  activity_type: 'activityType',
  source_type: 'sourceType',
  occurred_at: 'occurredAt',
  channel_id: 'channelId',
  channel_name: 'channelName',
  thread_id: 'threadId',
  permalink: 'permalink',
  summary: 'summary',
  metadata: 'metadata',
} as const satisfies Omit<FieldsOf<typeof ACTIVITY_COLUMNS, ActivityRow>, 'occurred_ms'>;

const STATS_FIELDS = {
  last_active_at: 'lastActiveAt',
  activity_count: 'activityCount',
  engagement_score: 'engagementScore',
  engagement_level: 'engagementLevel',
} as const satisfies FieldsOf<typeof MEMBER_STATS_COLUMNS, MemberRow>;

function selectList(fields: Record<string, string>): string {
  return ['seq', 'deleted', 'id AS "tightknitId"', ...Object.entries(fields).map(([c, f]) => `${c} AS "${f}"`)].join(
    ', ',
  );
}

/** SELECT lists that return rows already in the record's shape (plus seq and deleted). */
export const SELECT: Record<ObjectKind, string> = {
  community: selectList({ ...COMMUNITY_FIELDS, member_count: 'memberCount' }),
  member: selectList({ ...MEMBER_FIELDS, ...STATS_FIELDS }),
  activity: selectList(ACTIVITY_FIELDS),
};

type Selected<T> = T & { seq: number; deleted: boolean };

/** A selected row as the contract's StoredRow. */
export function stored<T extends CommunityRow | MemberRow | ActivityRow>(r: Selected<T>): StoredRow<T> {
  const { seq, deleted, ...row } = r;
  return { seq, deleted, row: row as unknown as T };
}
