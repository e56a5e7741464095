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

/** The levels above Low, highest first, each with the threshold (a key of `config.thresholds`) it starts at. */
const LEVELS: ReadonlyArray<{ level: EngagementLevel; atLeast: keyof EngagementConfig['thresholds'] }> = [
  { level: 'Champion', atLeast: 'champion' },
  { level: 'High', atLeast: 'high' },
  { level: 'Medium', atLeast: 'medium' },
];

/** Level from a score with the configured thresholds: Champion ≥ champion, High ≥ high, Medium ≥ medium, Low > 0, None = 0. */
export function engagementLevel(score: number, config: EngagementConfig): EngagementLevel {
  const reached = LEVELS.find(({ atLeast }) => score >= config.thresholds[atLeast]);
  if (reached) return reached.level;
  return score > 0 ? 'Low' : 'None';
}

/** Rounds a score to the 2 decimals of Engagement_Score__c (Number(10,2)) so unchanged scores compare equal. */
export function roundScore(score: number): number {
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

/** The weight of an activity type; a type the configuration does not know weighs as `other`. */
function activityWeight(type: string, config: EngagementConfig): number {
  const weights: Record<string, number> = config.weights;
  return Number(Object.hasOwn(weights, type) ? weights[type] : weights.other);
}

/**
 * The scoring rule, once. An activity counts for weight(type) × 0.5^(max(0, age) / halfLife), where age is
 * measured from the start of `now`'s UTC day (scoringWindow), and not at all once older than the window.
 * activityScore evaluates it in TypeScript; scoreSql writes the same rule as SQL for a store's aggregate.
 */
export function activityScore(type: string, occurredMs: number, now: Date, config: EngagementConfig): number {
  const { at, windowMs, halfLifeMs } = scoringWindow(now, config);
  const age = at - occurredMs;
  if (age > windowMs) return 0;
  return activityWeight(type, config) * Math.pow(0.5, Math.max(0, age) / halfLifeMs);
}

/** How a store's SQL dialect writes the parts of the rule: its parameters (from scoringWindow) and functions. */
export interface ScoreSqlDialect {
  /** The parameters holding scoringWindow's at, windowMs and halfLifeMs, e.g. `@at` or `$1::float8`. */
  at: string;
  windowMs: string;
  halfLifeMs: string;
  /** The power function (`pow`, `power`) and the two-argument maximum (`max`, `greatest`). */
  pow: string;
  max: string;
}

/**
 * activityScore's rule as one SQL sum over a member's activities (columns activity_type, occurred_ms): the
 * weights written into a CASE from the configuration, the window and the decay in the dialect's words.
 */
export function scoreSql(config: EngagementConfig, d: ScoreSqlDialect): string {
  const cases = ACTIVITY_TYPE_VALUES.map((t) => `WHEN '${t}' THEN ${activityWeight(t, config)}`).join(' ');
  const weight = `CASE activity_type ${cases} ELSE ${activityWeight('other', config)} END`;
  const age = `${d.at} - occurred_ms`;
  return `SUM(CASE WHEN ${age} <= ${d.windowMs} THEN (${weight}) * ${d.pow}(0.5, ${d.max}(0, ${age}) / ${d.halfLifeMs}) ELSE 0 END)`;
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
