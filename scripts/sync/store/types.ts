import type { ActivityType, EngagementLevel } from '../engagement';

/**
 * The community data the store keeps, in the sync's own terms (camelCase, no Salesforce names).
 * Ids are Tightknit ids (design.md "Stable Tightknit_Id__c"); references between rows use them too.
 */
/** The three kinds of community data, in push order (a member needs its community, an activity its member). */
export { OBJECT_KINDS, type ObjectKind } from '../domain';

export interface CommunityRow {
  tightknitId: string;
  name: string;
  platform: 'Slack' | 'Other';
  slackTeamId: string | null;
  slackDomain: string | null;
  slackUrl: string | null;
  logoUrl: string | null;
  studioUrl: string | null;
  description: string | null;
  /** Members not deleted; maintained by the store. */
  memberCount: number;
}

export type MemberStatus = 'Active' | 'Deactivated' | 'Deleted';

export interface MemberRow {
  tightknitId: string;
  communityId: string;
  name: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  slackUserId: string | null;
  avatarUrl: string | null;
  timeZone: string | null;
  status: MemberStatus;
  isBot: boolean;
  /** ISO-8601 UTC with milliseconds. */
  joinedAt: string | null;
  profileUrl: string | null;
  /** True for a member created because activity referenced a user missing from the source's user list. */
  isPlaceholder: boolean;
  // Maintained by the store (ingest and rescore):
  lastActiveAt: string | null;
  activityCount: number;
  engagementScore: number;
  engagementLevel: EngagementLevel;
}

export interface ActivityRow {
  tightknitId: string;
  communityId: string;
  memberId: string;
  targetMemberId: string | null;
  activityType: ActivityType;
  /** The source's own type string, always kept. */
  sourceType: string;
  /** ISO-8601 UTC with milliseconds. */
  occurredAt: string;
  channelId: string | null;
  channelName: string | null;
  threadId: string | null;
  permalink: string | null;
  /** Short human line, never the message body. */
  summary: string;
  /** JSON text (excerpt, reaction, file name, reply count, permalink parts); pushed only with the Activity Metadata option. */
  metadata: string | null;
}

/** A row as the push reads it: its change sequence and whether it was deleted at the source. */
export interface StoredRow<T> {
  seq: number;
  deleted: boolean;
  row: T;
}

/** A member as a source writes it (the statistics are the store's). */
export type MemberInput = Omit<MemberRow, 'lastActiveAt' | 'activityCount' | 'engagementScore' | 'engagementLevel'>;
/** A community as a source writes it (the member count is the store's). */
export type CommunityInput = Omit<CommunityRow, 'memberCount'>;
