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
export function engagementLevel(score: number, config: EngagementConfig): EngagementLevel {
  if (score >= config.thresholds.champion) return 'Champion';
  if (score >= config.thresholds.high) return 'High';
  if (score >= config.thresholds.medium) return 'Medium';
  if (score > 0) return 'Low';
  return 'None';
}

/** Rounds a score to the 2 decimals of Engagement_Score__c (Number(10,2)) so unchanged scores compare equal. */
export function roundScore(score: number): number {
  return Math.round(score * 100) / 100;
}
