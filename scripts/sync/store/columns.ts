/**
 * The source-owned columns of the three community tables, once, in write order. Both stores keep these
 * tables with these columns: the SQLite store generates its write statements from the lists (so a column
 * added here is inserted, updated and compared everywhere), and the transfer form (transfer.ts) is made of
 * them, with the keys and the columns the store maintains itself.
 */
export const COMMUNITY_COLUMNS = [
  'name',
  'platform',
  'slack_team_id',
  'slack_domain',
  'slack_url',
  'logo_url',
  'studio_url',
  'description',
] as const;

export const MEMBER_SOURCE_COLUMNS = [
  'community_id',
  'name',
  'email',
  'first_name',
  'last_name',
  'title',
  'slack_user_id',
  'avatar_url',
  'time_zone',
  'status',
  'is_bot',
  'joined_at',
  'profile_url',
  'is_placeholder',
] as const;

export const ACTIVITY_COLUMNS = [
  'community_id',
  'member_id',
  'target_member_id',
  'activity_type',
  'source_type',
  'occurred_at',
  'occurred_ms',
  'channel_id',
  'channel_name',
  'thread_id',
  'permalink',
  'summary',
  'metadata',
] as const;

/** Member columns the store maintains from the activities (ingest and rescore), not the source. */
export const MEMBER_STATS_COLUMNS = [
  'last_active_at',
  'activity_count',
  'engagement_score',
  'engagement_level',
] as const;
