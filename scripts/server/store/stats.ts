import {
  changedMemberStats,
  scoreSql,
  scoringWindow,
  type EngagementConfig,
  type MemberStatsRow,
  type ScoreSqlDialect,
} from '../../sync/engagement';
import type { Exec } from './exec';

/** PostgreSQL's words for the scoring rule: the query's $1..$3 as float8, power() and greatest(). */
const PG_SCORE: ScoreSqlDialect = {
  at: '$1::float8',
  windowMs: '$2::float8',
  halfLifeMs: '$3::float8',
  pow: 'power',
  max: 'greatest',
};

/**
 * Hands out the tenant's change sequence inside one transaction. `start` locks the tenant's
 * tenant_sequences row (through next_change_seq(0)) until the transaction ends, so sequences become
 * visible in commit order; only values actually used are taken, and `save` writes the high-water mark.
 */
export class SeqCounter {
  private constructor(
    private readonly q: Exec,
    private used: number,
  ) {}

  static async start(q: Exec): Promise<SeqCounter> {
    const { rows } = await q.query<{ s: number }>('SELECT next_change_seq(0) AS s');
    return new SeqCounter(q, rows[0].s);
  }

  /** The last sequence used. */
  get last(): number {
    return this.used;
  }

  /** Marks the next `n` sequences used (rows a merge numbered after `last`). */
  advance(n: number): void {
    this.used += n;
  }

  peek(): number {
    return this.used + 1;
  }

  take(): number {
    this.used += 1;
    return this.used;
  }

  async save(): Promise<void> {
    await this.q.query('UPDATE tenant_sequences SET last_seq = $1', [this.used]);
  }
}

/**
 * Recomputes every member's count, last activity, score and level in one aggregate (the scoring rule of
 * engagement.ts, written by its scoreSql) and writes only members whose values changed, each with a new seq.
 * Returns the ids of the changed members.
 */
export async function recomputeMemberStats(
  q: Exec,
  seq: SeqCounter,
  now: Date,
  config: EngagementConfig,
): Promise<string[]> {
  const window = scoringWindow(now, config);
  const { rows } = await q.query<MemberStatsRow>(
    `SELECT m.id, m.activity_count, m.last_active_at, m.engagement_score, m.engagement_level, a.cnt, a.last, a.score
     FROM members m LEFT JOIN (
       SELECT member_id, COUNT(*) AS cnt, MAX(occurred_at COLLATE "C") AS last, ${scoreSql(config, PG_SCORE)} AS score
       FROM activities WHERE NOT deleted GROUP BY member_id
     ) a ON a.member_id = m.id`,
    [window.at, window.windowMs, window.halfLifeMs],
  );
  const changed: string[] = [];
  for (const r of rows) {
    const next = changedMemberStats(r, config);
    if (!next) continue;
    await q.query(
      `UPDATE members SET activity_count = $1, last_active_at = $2, engagement_score = $3, engagement_level = $4,
         seq = $5 WHERE id = $6`,
      [next.count, next.last, next.score, next.level, seq.take(), r.id],
    );
    changed.push(r.id);
  }
  return changed;
}

/** Community member counts (members not deleted, status not Deleted); bumps seq only on change. */
export async function recomputeMemberCounts(q: Exec, seq: SeqCounter): Promise<string[]> {
  const { rows } = await q.query<{ id: string; member_count: number; n: number }>(
    `SELECT c.id, c.member_count, COALESCE(m.n, 0) AS n FROM communities c LEFT JOIN (
       SELECT community_id, COUNT(*) AS n FROM members WHERE NOT deleted AND status <> 'Deleted' GROUP BY community_id
     ) m ON m.community_id = c.id`,
  );
  const changed: string[] = [];
  for (const r of rows) {
    if (r.n === r.member_count) continue;
    await q.query('UPDATE communities SET member_count = $1, seq = $2 WHERE id = $3', [r.n, seq.take(), r.id]);
    changed.push(r.id);
  }
  return changed;
}

/** Marks deleted the activities of members who became Deleted or were removed in this transaction. */
export async function deleteActivitiesOfMembers(q: Exec, seq: SeqCounter, memberIds: string[]): Promise<number> {
  if (memberIds.length === 0) return 0;
  const { rows } = await q.query<{ id: string }>(
    'SELECT id FROM activities WHERE NOT deleted AND member_id = ANY($1::text[]) ORDER BY id',
    [memberIds],
  );
  for (const r of rows) {
    await q.query('UPDATE activities SET deleted = true, seq = $1 WHERE id = $2', [seq.take(), r.id]);
  }
  return rows.length;
}
