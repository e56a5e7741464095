import type Database from 'better-sqlite3';
import { activityScore, engagementLevel, roundScore, type ActivityType, type EngagementConfig } from '../engagement';

const DAY_MS = 86_400_000;

/**
 * Scores are computed as of the start of `now`'s UTC day, so they change at most once a day and two
 * ingests on the same day agree to the cent (otherwise seconds of decay would bump every member's seq).
 */
export function scoringTime(now: Date): number {
  return Math.floor(now.getTime() / DAY_MS) * DAY_MS;
}

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

interface MemberStats {
  count: number;
  lastMs: number;
  last: string | null;
  score: number;
}

/**
 * Recomputes every member's activity count, last activity, score and level (design.md's formula,
 * engagement.ts's activityScore) and writes only the members whose values changed, each with a new seq.
 * One streaming pass over the activities with a small per-member accumulator: no sort, so memory stays
 * flat however many activities there are. Returns the ids of the changed members.
 */
export function recomputeMemberStats(
  db: Database.Database,
  seq: SeqCounter,
  now: Date,
  config: EngagementConfig,
): string[] {
  const at = scoringTime(now);
  const stats = new Map<string, MemberStats>();
  const activities = db
    .prepare('SELECT member_id, activity_type, occurred_ms, occurred_at FROM activities WHERE deleted = 0')
    .raw();
  for (const row of activities.iterate() as IterableIterator<[string, ActivityType, number, string]>) {
    const [memberId, type, ms, iso] = row;
    let s = stats.get(memberId);
    if (!s) {
      s = { count: 0, lastMs: -Infinity, last: null, score: 0 };
      stats.set(memberId, s);
    }
    s.count += 1;
    if (ms > s.lastMs) {
      s.lastMs = ms;
      s.last = iso;
    }
    s.score += activityScore(type, ms, at, config);
  }
  const members = db
    .prepare('SELECT id, activity_count, last_active_at, engagement_score, engagement_level FROM members')
    .raw()
    .all() as Array<[string, number, string | null, number, string]>;
  const update = db.prepare(
    `UPDATE members SET activity_count = ?, last_active_at = ?, engagement_score = ?, engagement_level = ?, seq = ?
     WHERE id = ?`,
  );
  const changed: string[] = [];
  for (const [id, oldCount, oldLast, oldScore, oldLevel] of members) {
    const s = stats.get(id);
    const count = s?.count ?? 0;
    const last = s?.last ?? null;
    const score = roundScore(s?.score ?? 0);
    const level = engagementLevel(score, config);
    if (count === oldCount && last === oldLast && score === oldScore && level === oldLevel) continue;
    update.run(count, last, score, level, seq.take(), id);
    changed.push(id);
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
