import type Database from 'better-sqlite3';
import type { EngagementConfig } from '../../engagement';
import type {
  ActivityPut,
  EventInbox,
  FeedPositions,
  KindCounts,
  SlackCursors,
  StoreWriter,
  WriteCounts,
  WriteOutcome,
} from '../contract';
import { ACTIVITY_COLUMNS, COMMUNITY_COLUMNS, MEMBER_SOURCE_COLUMNS } from '../columns';
import {
  activityValues,
  communityParams,
  memberParams,
  rowValues,
  toCommunity,
  toMember,
  upsertSql,
  type CommunityDb,
  type MemberDb,
} from './rows';
import { storeBusy } from './busy';
import { SeqCounter, deleteActivitiesOfMembers, recomputeMemberCounts, recomputeMemberStats } from './stats';
import type { ActivityRow, CommunityInput, CommunityRow, MemberInput, MemberRow, StoredRow } from '../types';

/**
 * All writes of one ingest, inside one SQLite transaction (BEGIN at creation, COMMIT or ROLLBACK at the
 * end), so a failed ingest leaves the store exactly as it was. Every write compares before it writes:
 * an identical row is not touched and keeps its seq.
 */
export class SqliteWriter implements StoreWriter {
  readonly inbox: EventInbox;
  readonly slackCursors: SlackCursors;
  readonly feedPositions: FeedPositions;
  private readonly seq: SeqCounter;
  private readonly upsertCommunityStmt: Database.Statement;
  private readonly upsertMemberStmt: Database.Statement;
  private readonly insertMemberIfAbsentStmt: Database.Statement;
  private readonly upsertActivityStmt: Database.Statement;
  private readonly existsCommunityStmt: Database.Statement;
  private readonly existsMemberStmt: Database.Statement;
  private readonly getMemberStmt: Database.Statement;
  private readonly countActivitiesStmt: Database.Statement;
  private readonly markActivityDeletedStmt: Database.Statement;
  private readonly removeMemberStmt: Database.Statement;
  private readonly getFingerprintStmt: Database.Statement;
  private readonly putFingerprintStmt: Database.Statement;
  private readonly activityMemberStmt: Database.Statement;
  private readonly insertActivityIfAbsentStmt: Database.Statement;
  private readonly activityTreeStmt: Database.Statement;
  private readonly activitiesAtStart: number;
  private activityWrites = 0;
  private activitySeen = 0;
  private open = true;
  /** Members written (new or changed) by the source in this transaction. */
  private readonly newMembers = new Set<string>();
  private readonly changedMembers = new Set<string>();
  private readonly newCommunities = new Set<string>();
  private readonly changedCommunities = new Set<string>();
  private readonly seenCommunities = new Set<string>();
  private readonly seenMembers = new Set<string>();
  private deletedActivities = 0;
  /** Members written as Deleted or removed in this transaction: their stored activities get deleted at commit. */
  private readonly deletedMembers = new Set<string>();

  /**
   * `parts`: the store's bookkeeping on the same connection. SQLite has one transaction per connection, so
   * what they write while this writer is open commits or rolls back with it.
   */
  constructor(
    private readonly db: Database.Database,
    parts: Pick<StoreWriter, 'inbox' | 'slackCursors' | 'feedPositions'>,
  ) {
    this.inbox = parts.inbox;
    this.slackCursors = parts.slackCursors;
    this.feedPositions = parts.feedPositions;
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      throw storeBusy(db.name, err);
    }
    try {
      this.seq = new SeqCounter(db);
      this.upsertCommunityStmt = db.prepare(upsertSql('communities', COMMUNITY_COLUMNS, ['deleted']));
      this.upsertMemberStmt = db.prepare(upsertSql('members', MEMBER_SOURCE_COLUMNS, ['deleted']));
      const memberCols = ['id', 'seq', ...MEMBER_SOURCE_COLUMNS];
      this.insertMemberIfAbsentStmt = db.prepare(
        `INSERT INTO members (${memberCols.join(', ')}) VALUES (${memberCols.map(() => '?').join(', ')})
         ON CONFLICT(id) DO NOTHING`,
      );
      this.upsertActivityStmt = db.prepare(upsertSql('activities', ACTIVITY_COLUMNS, ['deleted']));
      this.existsCommunityStmt = db.prepare('SELECT 1 FROM communities WHERE id = ? AND deleted = 0').pluck();
      this.existsMemberStmt = db.prepare('SELECT 1 FROM members WHERE id = ?').pluck();
      this.getMemberStmt = db.prepare('SELECT * FROM members WHERE id = ?');
      this.countActivitiesStmt = db.prepare('SELECT COUNT(*) FROM activities').pluck();
      this.markActivityDeletedStmt = db.prepare(
        'UPDATE activities SET deleted = 1, seq = ? WHERE id = ? AND deleted = 0',
      );
      this.removeMemberStmt = db.prepare('UPDATE members SET deleted = 1, seq = ? WHERE id = ? AND deleted = 0');
      this.getFingerprintStmt = db.prepare(
        'SELECT fingerprint, activities FROM source_files WHERE community_id = ? AND path = ?',
      );
      this.putFingerprintStmt = db.prepare(
        `INSERT INTO source_files (community_id, path, fingerprint, activities) VALUES (?, ?, ?, ?)
         ON CONFLICT (community_id, path) DO UPDATE SET fingerprint = excluded.fingerprint, activities = excluded.activities`,
      );
      this.activityMemberStmt = db.prepare('SELECT member_id FROM activities WHERE id = ?').pluck();
      const activityCols = ['id', 'seq', ...ACTIVITY_COLUMNS, 'deleted'];
      this.insertActivityIfAbsentStmt = db.prepare(
        `INSERT INTO activities (${activityCols.join(', ')}) VALUES (${activityCols.map(() => '?').join(', ')})
         ON CONFLICT(id) DO NOTHING`,
      );
      // Ids are the table's key: a range over "<id>:" .. "<id>;" (';' follows ':') reads only that tree.
      this.activityTreeStmt = db
        .prepare('SELECT id FROM activities WHERE deleted = 0 AND (id = ? OR (id > ? AND id < ?))')
        .pluck();
      this.activitiesAtStart = this.countActivitiesStmt.get() as number;
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }

  putCommunity(c: CommunityInput): WriteOutcome {
    this.seenCommunities.add(c.tightknitId);
    const existed = this.existsAny('communities', c.tightknitId);
    const info = this.upsertCommunityStmt.run(rowValues(communityParams(c), COMMUNITY_COLUMNS, this.seq.peek(), [0]));
    return this.outcome(info.changes, existed, c.tightknitId, this.newCommunities, this.changedCommunities);
  }

  getCommunity(id: string): StoredRow<CommunityRow> | undefined {
    const r = this.db.prepare('SELECT * FROM communities WHERE id = ?').get(id) as CommunityDb | undefined;
    return r ? toCommunity(r) : undefined;
  }

  communityExists(id: string): boolean {
    return this.existsCommunityStmt.get(id) !== undefined;
  }

  putMember(m: MemberInput): WriteOutcome {
    this.seenMembers.add(m.tightknitId);
    const existed = this.existsMemberStmt.get(m.tightknitId) !== undefined;
    const info = this.upsertMemberStmt.run(rowValues(memberParams(m), MEMBER_SOURCE_COLUMNS, this.seq.peek(), [0]));
    // Only a member that existed can have stored activities that are not yet marked deleted.
    if (info.changes > 0 && existed && m.status === 'Deleted') this.deletedMembers.add(m.tightknitId);
    return this.outcome(info.changes, existed, m.tightknitId, this.newMembers, this.changedMembers);
  }

  /** Inserts a member only when no row has its id (placeholders never overwrite a real member). */
  ensureMember(m: MemberInput): boolean {
    this.seenMembers.add(m.tightknitId);
    const info = this.insertMemberIfAbsentStmt.run(
      rowValues(memberParams(m), MEMBER_SOURCE_COLUMNS, this.seq.peek(), []),
    );
    if (info.changes === 0) return false;
    this.seq.take();
    this.newMembers.add(m.tightknitId);
    return true;
  }

  memberExists(id: string): boolean {
    return this.existsMemberStmt.get(id) !== undefined;
  }

  getMember(id: string): StoredRow<MemberRow> | undefined {
    const r = this.getMemberStmt.get(id) as MemberDb | undefined;
    return r ? toMember(r) : undefined;
  }

  /** Removes a member entirely (row kept with deleted=1 so the push can delete it); its activities follow at finish. */
  removeMember(id: string): boolean {
    const info = this.removeMemberStmt.run(this.seq.peek(), id);
    if (info.changes === 0) return false;
    this.seq.take();
    this.deletedMembers.add(id);
    if (!this.newMembers.has(id)) this.changedMembers.add(id);
    return true;
  }

  /** The fingerprint recorded when `path` of `communityId`'s source was last imported in full. */
  fingerprint(communityId: string, path: string): { fingerprint: string; activities: number } | undefined {
    return this.getFingerprintStmt.get(communityId, path) as { fingerprint: string; activities: number } | undefined;
  }

  /** Records a fully imported file and how many activities it yielded. */
  recordFingerprint(communityId: string, path: string, fingerprint: string, activities: number): void {
    this.putFingerprintStmt.run(communityId, path, fingerprint, activities);
  }

  /** Activities handed to putActivity so far (for a file's count). */
  get activitiesSeen(): number {
    return this.activitySeen;
  }

  /** Counts the activities of a skipped, unchanged file as seen and unchanged. */
  countUnchangedActivities(n: number): void {
    this.activitySeen += n;
  }

  /** The initiator of a stored activity (a thread parent read in an earlier, skipped file). */
  activityMember(id: string): string | undefined {
    return this.activityMemberStmt.get(id) as string | undefined;
  }

  /** Placeholder members of a community, in the store after this transaction's writes. */
  placeholderCount(communityId: string): number {
    return this.db
      .prepare('SELECT COUNT(*) FROM members WHERE community_id = ? AND is_placeholder = 1 AND deleted = 0')
      .pluck()
      .get(communityId) as number;
  }

  /**
   * `deleted` is true when the initiator is deleted at the source: the row is stored, already marked
   * deleted. `occurredMs` (the same instant as occurredAt) saves re-parsing the date on hot paths.
   */
  putActivity(a: ActivityRow, deleted = false, occurredMs?: number): void {
    this.activitySeen += 1;
    const info = this.upsertActivityStmt.run(activityValues(a, this.seq.peek(), deleted, occurredMs));
    if (info.changes > 0) {
      this.seq.take();
      this.activityWrites += 1;
    }
  }

  /**
   * Inserts an activity only when no row has its id (a reaction read from Slack's history, which carries
   * no time, never overwrites the one an event dated exactly). True when inserted.
   */
  putActivities(items: readonly ActivityPut[]): void {
    for (const p of items) {
      if (p.ifAbsent) this.putActivityIfAbsent(p.row, p.deleted, p.occurredMs);
      else this.putActivity(p.row, p.deleted, p.occurredMs);
    }
  }

  putActivityIfAbsent(a: ActivityRow, deleted = false, occurredMs?: number): boolean {
    this.activitySeen += 1;
    const info = this.insertActivityIfAbsentStmt.run(activityValues(a, this.seq.peek(), deleted, occurredMs));
    if (info.changes === 0) return false;
    this.seq.take();
    this.activityWrites += 1;
    return true;
  }

  /**
   * Marks deleted the activity `id` and every activity whose id extends it (`<id>:...`: a message's
   * join and reactions). Returns how many were marked.
   */
  deleteActivityTree(id: string): number {
    const ids = this.activityTreeStmt.all(id, `${id}:`, `${id};`) as string[];
    let n = 0;
    for (const one of ids) if (this.deleteActivity(one)) n += 1;
    return n;
  }

  /** Marks one activity deleted (a feed's `*.deleted` event); false when unknown or already deleted. */
  deleteActivity(id: string): boolean {
    const info = this.markActivityDeletedStmt.run(this.seq.peek(), id);
    if (info.changes === 0) return false;
    this.seq.take();
    this.deletedActivities += 1;
    return true;
  }

  /**
   * Ends the source's writes: marks activities of deleted members deleted, recomputes member stats and
   * community member counts (each bumps seq only where a value changed), then commits.
   * `memberStats: false` leaves the statistics to a later commit (a batch of a longer read).
   */
  commit(now: Date, config: EngagementConfig, opts: { memberStats?: boolean } = {}): WriteCounts {
    this.assertOpen();
    try {
      this.deletedActivities += deleteActivitiesOfMembers(this.db, this.seq, [...this.deletedMembers]);
      // A long read commits in batches; the full statistics scan is needed only at its last commit
      // (each scan recomputes every member from scratch, so skipping one loses nothing).
      const stats = opts.memberStats === false ? [] : recomputeMemberStats(this.db, this.seq, now, config);
      for (const id of stats) {
        if (!this.newMembers.has(id)) this.changedMembers.add(id);
      }
      for (const id of recomputeMemberCounts(this.db, this.seq)) {
        if (!this.newCommunities.has(id)) this.changedCommunities.add(id);
      }
      const counts = this.counts();
      this.seq.save();
      this.db.exec('COMMIT');
      this.open = false;
      return counts;
    } catch (err) {
      this.rollback();
      throw err;
    }
  }

  rollback(): void {
    if (!this.open) return;
    this.open = false;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  private counts(): WriteCounts {
    const activitiesNow = this.countActivitiesStmt.get() as number;
    const added = activitiesNow - this.activitiesAtStart;
    const changed = this.activityWrites - added;
    return {
      communities: this.kindCounts(this.seenCommunities, this.newCommunities, this.changedCommunities),
      members: this.kindCounts(this.seenMembers, this.newMembers, this.changedMembers),
      activities: {
        new: added,
        changed,
        unchanged: Math.max(0, this.activitySeen - added - changed),
        deleted: this.deletedActivities,
      },
    };
  }

  private kindCounts(seen: Set<string>, added: Set<string>, changed: Set<string>): KindCounts {
    let unchanged = 0;
    for (const id of seen) if (!added.has(id) && !changed.has(id)) unchanged += 1;
    return { new: added.size, changed: changed.size, unchanged };
  }

  private outcome(
    changes: number,
    existed: boolean,
    id: string,
    added: Set<string>,
    changed: Set<string>,
  ): WriteOutcome {
    if (changes === 0) return 'unchanged';
    this.seq.take();
    if (!existed) {
      added.add(id);
      return 'new';
    }
    if (!added.has(id)) changed.add(id);
    return 'changed';
  }

  private existsAny(table: 'communities', id: string): boolean {
    return this.db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
  }

  private assertOpen(): void {
    if (!this.open) throw new Error('This store writer is already committed or rolled back.');
  }
}
