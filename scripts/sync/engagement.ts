import { z } from 'zod';
import { ACTIVITY_TYPES, type ActivityType, type EngagementLevel } from '../generated/sobjects';

export type { ActivityType, EngagementLevel } from '../generated/sobjects';

/** Activity types: the Activity_Type__c picklist, as the code generator read it from the package. */
export const ACTIVITY_TYPE_VALUES = ACTIVITY_TYPES;

const DEFAULT_WEIGHTS: Record<ActivityType, number> = {
  post_created: 5,
  event_attended: 5,
  event_registered: 4,
  message_sent: 3,
  thread_reply: 3,
  comment_created: 3,
  file_shared: 2,
  award_received: 2,
  poll_voted: 1,
  reaction_added: 1,
  channel_joined: 1,
  member_joined: 1,
  other: 1,
};

export const EngagementConfigSchema = z
  .object({
    weights: z
      .object(
        Object.fromEntries(
          ACTIVITY_TYPE_VALUES.map((t) => [t, z.number().min(0).max(1000).default(DEFAULT_WEIGHTS[t])]),
        ) as {
          [K in ActivityType]: z.ZodDefault<z.ZodNumber>;
        },
      )
      .strict()
      .prefault({}),
    thresholds: z
      .object({
        champion: z.number().positive().default(40),
        high: z.number().positive().default(15),
        medium: z.number().positive().default(5),
      })
      .strict()
      .prefault({})
      .refine((t) => t.champion > t.high && t.high > t.medium, {
        message: 'thresholds must satisfy champion > high > medium > 0',
      }),
    halfLifeDays: z.number().positive().default(30),
    windowDays: z.number().int().positive().default(180),
  })
  .strict();

export type EngagementConfig = z.output<typeof EngagementConfigSchema>;

export const DEFAULT_ENGAGEMENT: EngagementConfig = EngagementConfigSchema.parse({});

/** Level from a score with the configured thresholds: Champion ≥ champion, High ≥ high, Medium ≥ medium, Low > 0, None = 0. */
function engagementLevel(score: number, config: EngagementConfig): EngagementLevel {
  if (score >= config.thresholds.champion) return 'Champion';
  if (score >= config.thresholds.high) return 'High';
  if (score >= config.thresholds.medium) return 'Medium';
  if (score > 0) return 'Low';
  return 'None';
}

/** Rounds a score to the 2 decimals of Engagement_Score__c (Number(10,2)) so unchanged scores compare equal. */
function roundScore(score: number): number {
  return Math.round(score * 100) / 100;
}

const DAY_MS = 86_400_000;

/**
 * The numbers a store's scoring aggregate needs, in milliseconds. Scores are computed as of the start of
 * `now`'s UTC day, so they change at most once a day and two ingests on the same day agree to the cent
 * (otherwise seconds of decay would bump every member's seq).
 */
export function scoringWindow(
  now: Date,
  config: EngagementConfig,
): { at: number; windowMs: number; halfLifeMs: number } {
  return {
    at: Math.floor(now.getTime() / DAY_MS) * DAY_MS,
    windowMs: config.windowDays * DAY_MS,
    halfLifeMs: config.halfLifeDays * DAY_MS,
  };
}

/** A member's stored statistics beside what a store's aggregate computed from its activities. */
export interface MemberStatsRow {
  id: string;
  activity_count: number;
  last_active_at: string | null;
  engagement_score: number;
  engagement_level: string;
  cnt: number | null;
  last: string | null;
  score: number | null;
}

/** The member's new statistics, or null when the stored ones are already current (no new seq then). */
export function changedMemberStats(
  r: MemberStatsRow,
  config: EngagementConfig,
): { count: number; last: string | null; score: number; level: EngagementLevel } | null {
  const count = r.cnt ?? 0;
  const score = roundScore(r.score ?? 0);
  const level = engagementLevel(score, config);
  const same =
    count === r.activity_count &&
    r.last === r.last_active_at &&
    score === r.engagement_score &&
    level === r.engagement_level;
  return same ? null : { count, last: r.last, score, level };
}
