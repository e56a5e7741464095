import type Database from 'better-sqlite3';
import {
  changedMemberStats,
  scoreSql,
  scoringWindow,
  type EngagementConfig,
  type MemberStatsRow,
  type ScoreSqlDialect,
} from '../../engagement';

/** SQLite's words for the scoring rule: named parameters, pow() and the scalar max(). */
const SQLITE_SCORE: ScoreSqlDialect = {
  at: '@at',
  windowMs: '@windowMs',
  halfLifeMs: '@halfLifeMs',
  pow: 'pow',
  max: 'max',
};

/** Hands out the global change sequence inside one write transaction; `save` persists the high-water mark. */
export class SeqCounter {
  private last: number;

  constructor(private readonly db: Database.Database) {
    this.last = (db.prepare("SELECT value FROM store_meta WHERE key = 'last_seq'").get() as { value: number }).value;
  }

  peek(): number {
    return this.last + 1;
  }

  /** Marks the value returned by peek() as used. */
  take(): number {
    this.last += 1;
    return this.last;
  }

  save(): void {
    this.db.prepare("UPDATE store_meta SET value = ? WHERE key = 'last_seq'").run(this.last);
  }
}

/**
 * Recomputes every member's activity count, last activity, score and level in one SQL aggregate
 * (the scoring rule of engagement.ts, written by its scoreSql) and writes only the members whose values
 * changed, each with a new seq. The sort behind GROUP BY spills to a temporary file beyond the page cache, so memory stays bounded.
 * Returns the ids of the changed members.
 */
export function recomputeMemberStats(
  db: Database.Database,
  seq: SeqCounter,
  now: Date,
  config: EngagementConfig,
): string[] {
  const rows = db
    .prepare(
      `SELECT m.id, m.activity_count, m.last_active_at, m.engagement_score, m.engagement_level, a.cnt, a.last, a.score
       FROM members m LEFT JOIN (
         SELECT member_id, COUNT(*) AS cnt, MAX(occurred_at) AS last, ${scoreSql(config, SQLITE_SCORE)} AS score
         FROM activities WHERE deleted = 0 GROUP BY member_id
       ) a ON a.member_id = m.id`,
    )
    .all(scoringWindow(now, config)) as MemberStatsRow[];
  const update = db.prepare(
    `UPDATE members SET activity_count = ?, last_active_at = ?, engagement_score = ?, engagement_level = ?, seq = ?
     WHERE id = ?`,
  );
  const changed: string[] = [];
  for (const r of rows) {
    const next = changedMemberStats(r, config);
    if (!next) continue;
    update.run(next.count, next.last, next.score, next.level, seq.take(), r.id);
    changed.push(r.id);
  }
  return changed;
}

/** Community member counts (members not deleted, status not Deleted); bumps seq only on change. */
export function recomputeMemberCounts(db: Database.Database, seq: SeqCounter): string[] {
  const rows = db
    .prepare(
      `SELECT c.id, c.member_count, COALESCE(m.n, 0) AS n FROM communities c LEFT JOIN (
         SELECT community_id, COUNT(*) AS n FROM members WHERE deleted = 0 AND status <> 'Deleted' GROUP BY community_id
       ) m ON m.community_id = c.id`,
    )
    .all() as Array<{ id: string; member_count: number; n: number }>;
  const update = db.prepare('UPDATE communities SET member_count = ?, seq = ? WHERE id = ?');
  const changed: string[] = [];
  for (const r of rows) {
    if (r.n === r.member_count) continue;
    update.run(r.n, seq.take(), r.id);
    changed.push(r.id);
  }
  return changed;
}

/**
 * Activities of members who became Deleted (or were removed) in this transaction are marked deleted so
 * that the push deletes them in the org. Activities written for an already deleted member arrive
 * marked, so only members that changed need this one scan.
 */
export function deleteActivitiesOfMembers(db: Database.Database, seq: SeqCounter, memberIds: string[]): number {
  if (memberIds.length === 0) return 0;
  const ids = db
    .prepare(`SELECT id FROM activities WHERE deleted = 0 AND member_id IN (SELECT value FROM json_each(?))`)
    .pluck()
    .all(JSON.stringify(memberIds)) as string[];
  const update = db.prepare('UPDATE activities SET deleted = 1, seq = ? WHERE id = ?');
  for (const id of ids) update.run(seq.take(), id);
  return ids.length;
}
