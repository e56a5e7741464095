import {
  ACTIVITY_TYPE_VALUES,
  EngagementConfigSchema,
  activityScore,
  engagementLevel,
  roundScore,
  type ActivityType,
  type EngagementConfig,
  type EngagementLevel,
} from '../../sync/engagement';
import type { ActivityRow } from '../../sync/store';
import { ENGAGEMENT, NOW, activity, ingest } from './fixtures';
import type { SuiteContext } from '.';

/** Ages in days: today, within the half-life, past it, at and past the window's end, and in the future. */
const AGES = [0, 0.75, 1.5, 29, 45.25, 179.5, 180, 181, -2];

/** A weight per type that no other type has, so a type scored with another's weight shows. */
const DISTINCT: EngagementConfig = EngagementConfigSchema.parse({
  weights: Object.fromEntries(ACTIVITY_TYPE_VALUES.map((t, i) => [t, i + 1.5])),
  halfLifeDays: 10,
  windowDays: 60,
});

/** TypeScript's score of a member with these activities (the rule's sum, rounded as the store rounds). */
function expectedScore(activities: ActivityRow[], now: Date, config: EngagementConfig): number {
  const sum = activities.reduce(
    (total, a) => total + activityScore(a.activityType, Date.parse(a.occurredAt), now, config),
    0,
  );
  return roundScore(sum);
}

/** One member per activity type and age, with that one activity. */
function onePerTypeAndAge(): Array<{ member: string; activity: ActivityRow }> {
  return ACTIVITY_TYPE_VALUES.flatMap((type: ActivityType) =>
    AGES.map((age, i) => {
      const member = `m-${type}-${i}`;
      return { member, activity: activity(`a-${type}-${i}`, member, age, { activityType: type }) };
    }),
  );
}

/** The scoring rule: what the store's SQL computes equals engagement.ts's activityScore, type by type. */
export function describeScoring(ctx: SuiteContext): void {
  describe('scores as engagement.ts computes them', () => {
    it('scores every activity type at every age as activityScore does, with the default and other weights', async () => {
      const store = ctx.store();
      const cases = onePerTypeAndAge();
      await ingest(
        store,
        cases.map((c) => c.member),
        cases.map((c) => c.activity),
      );
      const later = new Date(NOW.getTime() + 20 * 86_400_000);
      for (const [now, config] of [
        [NOW, ENGAGEMENT],
        [later, DISTINCT],
      ] as const) {
        if (config !== ENGAGEMENT) await store.rescore(now, config);
        for (const c of cases) {
          const row = (await store.getMember(c.member))!.row;
          const score = expectedScore([c.activity], now, config);
          expect({ member: c.member, score: row.engagementScore, level: row.engagementLevel }).toEqual({
            member: c.member,
            score,
            level: engagementLevel(score, config),
          });
        }
      }
    });

    it('reaches every level as engagementLevel does from the summed activityScore', async () => {
      const store = ctx.store();
      // Each member: posts of yesterday (weight 5) and a reaction past the window; Low's one reaction is recent.
      const posts: Record<string, number> = { none: 0, low: 0, medium: 2, high: 4, champion: 10 };
      const rows = Object.entries(posts).flatMap(([member, n]) => [
        activity(`${member}-old`, member, 200, { activityType: 'reaction_added' }),
        ...Array.from({ length: n }, (_, i) => activity(`${member}-${i}`, member, 1, { activityType: 'post_created' })),
      ]);
      rows.push(activity('low-reaction', 'low', 3, { activityType: 'reaction_added' }));
      await ingest(store, Object.keys(posts), rows);
      const levels = new Set<EngagementLevel>();
      for (const member of Object.keys(posts)) {
        const score = expectedScore(
          rows.filter((r) => r.memberId === member),
          NOW,
          ENGAGEMENT,
        );
        const row = (await store.getMember(member))!.row;
        expect({ member, score: row.engagementScore, level: row.engagementLevel }).toEqual({
          member,
          score,
          level: engagementLevel(score, ENGAGEMENT),
        });
        levels.add(row.engagementLevel);
      }
      expect([...levels].sort()).toEqual(['Champion', 'High', 'Low', 'Medium', 'None']);
    });
  });
}
