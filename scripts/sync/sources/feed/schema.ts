import { z } from 'zod';
import type { ActivityType } from '../../engagement';

/**
 * The NDJSON event feed: one JSON object per line, `type` first. Community and member events carry
 * the records; every other type is an activity. The JSON Schema in schemas/event-feed.schema.json
 * describes the same shapes for producers; these zod schemas are what the ingest enforces.
 */

/** Feed event type → activity type. A type not listed here is imported as `other`, its string kept. */
export const FEED_ACTIVITY_TYPES: Record<string, ActivityType> = {
  'slack_message.created': 'message_sent',
  'slack_thread_reply.created': 'thread_reply',
  'slack_reaction.added': 'reaction_added',
  'slack_file.shared': 'file_shared',
  'slack_channel.member_joined': 'channel_joined',
  'post.created': 'post_created',
  'comment.created': 'comment_created',
  'community.member_joined': 'member_joined',
  'calendar_event.user_registered': 'event_registered',
  'calendar_event.user_attended': 'event_attended',
  'poll.voted': 'poll_voted',
  'award.received': 'award_received',
};

const COMMUNITY_EVENT_TYPES = ['community.created', 'community.updated'] as const;
const MEMBER_EVENT_TYPES = ['member.created', 'member.updated'] as const;
const MEMBER_DELETED_TYPE = 'member.deleted';
/** `<anything>.deleted` / `<anything>.removed` other than members and communities: the activity with `id` is deleted. */
const ACTIVITY_REMOVAL = /^(?!member\.|community\.)[a-z0-9_]+\.(deleted|removed)$/;

const id = z.string().min(1).max(255);
const optText = z.string().nullable().optional();
const isoDateTime = z.iso.datetime({ offset: true });

const CommunityEventSchema = z.object({
  type: z.enum(COMMUNITY_EVENT_TYPES),
  community: z.object({
    id,
    name: z.string().min(1),
    platform: z.enum(['Slack', 'Other']).optional(),
    slack_team_id: optText,
    slack_domain: optText,
    slack_url: optText,
    logo_url: optText,
    studio_url: optText,
    description: optText,
  }),
});

const memberFields = {
  id,
  name: z.string().min(1).optional(),
  email: optText,
  first_name: optText,
  last_name: optText,
  title: optText,
  slack_user_id: optText,
  avatar_url: optText,
  time_zone: optText,
  status: z.enum(['Active', 'Deactivated', 'Deleted']).optional(),
  is_bot: z.boolean().optional(),
  joined_at: isoDateTime.nullable().optional(),
  profile_url: optText,
};

const MemberEventSchema = z.object({
  type: z.enum(MEMBER_EVENT_TYPES),
  community_id: id,
  member: z.object(memberFields),
});

const MemberDeletedEventSchema = z.object({
  type: z.literal(MEMBER_DELETED_TYPE),
  community_id: id,
  member_id: id,
  /** true: remove the member entirely; false (default): keep it as status Deleted with personal fields cleared. */
  purge: z.boolean().optional(),
});

const ActivityRemovedEventSchema = z.object({
  type: z.string().regex(ACTIVITY_REMOVAL),
  id,
});

const ActivityEventSchema = z.object({
  type: z.string().min(1).max(255),
  id,
  community_id: id,
  member_id: id,
  occurred_at: isoDateTime,
  target_member_id: id.nullable().optional(),
  channel_id: optText,
  channel_name: optText,
  thread_id: optText,
  permalink: optText,
  summary: z.string().min(1).optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
});

export type CommunityEvent = z.output<typeof CommunityEventSchema>;
export type MemberEvent = z.output<typeof MemberEventSchema>;
export type MemberDeletedEvent = z.output<typeof MemberDeletedEventSchema>;
type ActivityRemovedEvent = z.output<typeof ActivityRemovedEventSchema>;
export type ActivityEvent = z.output<typeof ActivityEventSchema>;

export type FeedEvent =
  | { kind: 'community'; event: CommunityEvent }
  | { kind: 'member'; event: MemberEvent }
  | { kind: 'member-deleted'; event: MemberDeletedEvent }
  | { kind: 'activity-removed'; event: ActivityRemovedEvent }
  | { kind: 'activity'; event: ActivityEvent };

/** Validates one parsed line; returns the event or the problems in one readable string. */
export function parseFeedEvent(raw: unknown): { ok: true; value: FeedEvent } | { ok: false; problem: string } {
  const type =
    raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>).type : undefined;
  if (typeof type !== 'string' || type === '') return { ok: false, problem: 'the line has no "type"' };
  const pick = (): [FeedEvent['kind'], z.ZodType] => {
    if ((COMMUNITY_EVENT_TYPES as readonly string[]).includes(type)) return ['community', CommunityEventSchema];
    if ((MEMBER_EVENT_TYPES as readonly string[]).includes(type)) return ['member', MemberEventSchema];
    if (type === MEMBER_DELETED_TYPE) return ['member-deleted', MemberDeletedEventSchema];
    if (ACTIVITY_REMOVAL.test(type)) return ['activity-removed', ActivityRemovedEventSchema];
    return ['activity', ActivityEventSchema];
  };
  const [kind, schema] = pick();
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`);
    return { ok: false, problem: `invalid ${type} event: ${problems.join('; ')}` };
  }
  return { ok: true, value: { kind, event: result.data } as FeedEvent };
}
