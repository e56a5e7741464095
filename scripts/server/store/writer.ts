import type { EngagementConfig } from '../../sync/engagement';
import type { AsyncStoreWriter, Promised } from '../../sync/store/async';
import type {
  ActivityPut,
  EventInbox,
  FeedPositions,
  KindCounts,
  SlackCursors,
  WriteCounts,
  WriteOutcome,
} from '../../sync/store/contract';
import type {
  ActivityRow,
  CommunityInput,
  CommunityRow,
  MemberInput,
  MemberRow,
  StoredRow,
} from '../../sync/store/types';
import { activityLine, copyActivities, COPY_BATCH } from './activity-copy';
import { FlushingExec, type Exec, type HeldExec, type OpenTransaction } from './exec';
import { ACTIVITY_FIELDS, COMMUNITY_FIELDS, MEMBER_FIELDS, SELECT, stored } from './rows';
import { SeqCounter, deleteActivitiesOfMembers, recomputeMemberCounts, recomputeMemberStats } from './stats';

/**
 * `INSERT … ON CONFLICT DO UPDATE … WHERE some column differs`: an identical row is not written, so its
 * seq stays; RETURNING tells a new row from a changed one. Values: id, seq, the columns in order.
 */
function upsertSql(table: string, columns: readonly string[], onConflict: 'update' | 'nothing'): string {
  const cols = ['id', 'seq', ...columns];
  const values = cols.map((_, i) => `$${i + 1}`).join(', ');
  const head = `INSERT INTO ${table} AS t (${cols.join(', ')}) VALUES (${values}) ON CONFLICT (tenant_id, id)`;
  if (onConflict === 'nothing') return `${head} DO NOTHING RETURNING true AS inserted`;
  const set = cols.slice(1).map((c) => `${c} = excluded.${c}`);
  const differs = `(${columns.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `excluded.${c}`).join(', ')})`;
  return `${head} DO UPDATE SET ${set.join(', ')} WHERE ${differs} RETURNING (t.xmax = 0) AS inserted`;
}

const COMMUNITY_COLS = [...Object.keys(COMMUNITY_FIELDS), 'deleted'];
const MEMBER_COLS = [...Object.keys(MEMBER_FIELDS), 'deleted'];
const ACTIVITY_COLS = [...Object.keys(ACTIVITY_FIELDS), 'occurred_ms', 'deleted'];

function values(fields: Record<string, string>, row: object): unknown[] {
  return Object.values(fields).map((f) => (row as Record<string, unknown>)[f]);
}

function activityValues(a: ActivityRow, seq: number, deleted: boolean, occurredMs?: number): unknown[] {
  return [a.tightknitId, seq, ...values(ACTIVITY_FIELDS, a), occurredMs ?? Date.parse(a.occurredAt), deleted];
}

type Parts = {
  inbox: Promised<EventInbox>;
  slackCursors: Promised<SlackCursors>;
  feedPositions: Promised<FeedPositions>;
};

/**
 * All writes of one ingest in one PostgreSQL transaction of the tenant (see `AsyncStoreWriter`), on
 * the connection `tx` holds; the bookkeeping parts given write on that same connection.
 */
export class PgWriter implements AsyncStoreWriter {
  readonly inbox: Promised<EventInbox>;
  readonly slackCursors: Promised<SlackCursors>;
  readonly feedPositions: Promised<FeedPositions>;
  private readonly q: Exec;
  /** Activities put since the last COPY, as CSV lines (see activity-copy.ts). */
  private buffered: string[] = [];
  private ord = 0;
  private activityWrites = 0;
  private activitiesAdded = 0;
  private activitySeen = 0;
  private deletedActivities = 0;
  private open = true;
  private readonly newMembers = new Set<string>();
  private readonly changedMembers = new Set<string>();
  private readonly newCommunities = new Set<string>();
  private readonly changedCommunities = new Set<string>();
  private readonly seenCommunities = new Set<string>();
  private readonly seenMembers = new Set<string>();
  private readonly deletedMembers = new Set<string>();

  private constructor(
    private readonly tx: OpenTransaction,
    private readonly seq: SeqCounter,
    parts: (q: Exec) => Parts,
  ) {
    // Every statement of the writer, and of the bookkeeping written through it, sends the buffered
    // activities first, so reads see them and the order of writes is kept.
    this.q = new FlushingExec(tx.exec, () => this.flush());
    const p = parts(this.q);
    this.inbox = p.inbox;
    this.slackCursors = p.slackCursors;
    this.feedPositions = p.feedPositions;
  }

  /** Starts a writer on an open transaction; rolls it back when the start fails. */
  static async start(tx: OpenTransaction, parts: (q: Exec) => Parts): Promise<PgWriter> {
    try {
      return new PgWriter(tx, await SeqCounter.start(tx.exec), parts);
    } catch (err) {
      await tx.rollback();
      throw err;
    }
  }

  private async upsert(sql: string, params: unknown[]): Promise<{ changed: boolean; inserted: boolean }> {
    this.assertOpen();
    const r = await this.q.query<{ inserted: boolean }>(sql, params);
    return { changed: r.rowCount > 0, inserted: r.rows[0]?.inserted === true };
  }

  async putCommunity(c: CommunityInput): Promise<WriteOutcome> {
    await this.flush(); // before peek(): the buffered rows take the next sequences
    this.seenCommunities.add(c.tightknitId);
    const r = await this.upsert(upsertSql('communities', COMMUNITY_COLS, 'update'), [
      c.tightknitId,
      this.seq.peek(),
      ...values(COMMUNITY_FIELDS, c),
      false,
    ]);
    return this.outcome(r, c.tightknitId, this.newCommunities, this.changedCommunities);
  }

  async getCommunity(id: string): Promise<StoredRow<CommunityRow> | undefined> {
    const { rows } = await this.q.query<CommunityRow & { seq: number; deleted: boolean }>(
      `SELECT ${SELECT.community} FROM communities WHERE id = $1`,
      [id],
    );
    return rows[0] ? stored(rows[0]) : undefined;
  }

  async communityExists(id: string): Promise<boolean> {
    return (await this.q.query('SELECT 1 FROM communities WHERE id = $1 AND NOT deleted', [id])).rowCount > 0;
  }

  async putMember(m: MemberInput): Promise<WriteOutcome> {
    await this.flush(); // before peek(): the buffered rows take the next sequences
    this.seenMembers.add(m.tightknitId);
    const r = await this.upsert(upsertSql('members', MEMBER_COLS, 'update'), [
      m.tightknitId,
      this.seq.peek(),
      ...values(MEMBER_FIELDS, m),
      false,
    ]);
    // Only a member that existed can have stored activities not yet marked deleted.
    if (r.changed && !r.inserted && m.status === 'Deleted') this.deletedMembers.add(m.tightknitId);
    return this.outcome(r, m.tightknitId, this.newMembers, this.changedMembers);
  }

  async ensureMember(m: MemberInput): Promise<boolean> {
    await this.flush(); // before peek(): the buffered rows take the next sequences
    this.seenMembers.add(m.tightknitId);
    const r = await this.upsert(upsertSql('members', Object.keys(MEMBER_FIELDS), 'nothing'), [
      m.tightknitId,
      this.seq.peek(),
      ...values(MEMBER_FIELDS, m),
    ]);
    if (!r.changed) return false;
    this.seq.take();
    this.newMembers.add(m.tightknitId);
    return true;
  }

  async memberExists(id: string): Promise<boolean> {
    return (await this.q.query('SELECT 1 FROM members WHERE id = $1', [id])).rowCount > 0;
  }

  async getMember(id: string): Promise<StoredRow<MemberRow> | undefined> {
    const { rows } = await this.q.query<MemberRow & { seq: number; deleted: boolean }>(
      `SELECT ${SELECT.member} FROM members WHERE id = $1`,
      [id],
    );
    return rows[0] ? stored(rows[0]) : undefined;
  }

  async removeMember(id: string): Promise<boolean> {
    await this.flush(); // before peek(): the buffered rows take the next sequences
    this.assertOpen();
    const r = await this.q.query('UPDATE members SET deleted = true, seq = $1 WHERE id = $2 AND NOT deleted', [
      this.seq.peek(),
      id,
    ]);
    if (r.rowCount === 0) return false;
    this.seq.take();
    this.deletedMembers.add(id);
    if (!this.newMembers.has(id)) this.changedMembers.add(id);
    return true;
  }

  async fingerprint(
    communityId: string,
    path: string,
  ): Promise<{ fingerprint: string; activities: number } | undefined> {
    const { rows } = await this.q.query<{ fingerprint: string; activities: number }>(
      'SELECT fingerprint, activities FROM source_files WHERE community_id = $1 AND path = $2',
      [communityId, path],
    );
    return rows[0];
  }

  async recordFingerprint(communityId: string, path: string, fingerprint: string, activities: number): Promise<void> {
    this.assertOpen();
    await this.q.query(
      `INSERT INTO source_files (community_id, path, fingerprint, activities) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, community_id, path) DO UPDATE SET fingerprint = excluded.fingerprint, activities = excluded.activities`,
      [communityId, path, fingerprint, activities],
    );
  }

  get activitiesSeen(): number {
    return this.activitySeen;
  }

  async countUnchangedActivities(n: number): Promise<void> {
    this.activitySeen += n;
  }

  async activityMember(id: string): Promise<string | undefined> {
    const { rows } = await this.q.query<{ m: string }>('SELECT member_id AS m FROM activities WHERE id = $1', [id]);
    return rows[0]?.m;
  }

  async placeholderCount(communityId: string): Promise<number> {
    const { rows } = await this.q.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM members WHERE community_id = $1 AND is_placeholder AND NOT deleted',
      [communityId],
    );
    return rows[0].n;
  }

  /**
   * Buffered: the rows go out with COPY every COPY_BATCH rows and before any other statement of this
   * writer (measured in scripts/bench/pg-store-ingest.ts against one upsert per row).
   */
  async putActivity(a: ActivityRow, deleted = false, occurredMs?: number): Promise<void> {
    this.assertOpen();
    this.activitySeen += 1;
    this.buffered.push(activityLine(this.ord++, a, deleted, occurredMs));
    if (this.buffered.length >= COPY_BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    const lines = this.buffered;
    this.buffered = [];
    const exec: HeldExec = this.tx.exec;
    const r = await copyActivities(exec.client, exec, lines, this.seq.last);
    this.seq.advance(r.written);
    this.activityWrites += r.written;
    this.activitiesAdded += r.inserted;
  }

  async putActivities(items: readonly ActivityPut[]): Promise<void> {
    for (const p of items) {
      if (p.ifAbsent) await this.putActivityIfAbsent(p.row, p.deleted, p.occurredMs);
      else await this.putActivity(p.row, p.deleted, p.occurredMs);
    }
  }

  async putActivityIfAbsent(a: ActivityRow, deleted = false, occurredMs?: number): Promise<boolean> {
    await this.flush(); // before peek(): the buffered rows take the next sequences
    this.activitySeen += 1;
    const r = await this.upsert(
      upsertSql('activities', ACTIVITY_COLS, 'nothing'),
      activityValues(a, this.seq.peek(), deleted, occurredMs),
    );
    if (!r.changed) return false;
    this.seq.take();
    this.activityWrites += 1;
    this.activitiesAdded += 1;
    return true;
  }

  async deleteActivityTree(id: string): Promise<number> {
    const { rows } = await this.q.query<{ id: string }>(
      "SELECT id FROM activities WHERE NOT deleted AND (id = $1 OR starts_with(id, $1 || ':')) ORDER BY id",
      [id],
    );
    let n = 0;
    for (const r of rows) if (await this.deleteActivity(r.id)) n += 1;
    return n;
  }

  async deleteActivity(id: string): Promise<boolean> {
    await this.flush(); // before peek(): the buffered rows take the next sequences
    this.assertOpen();
    const r = await this.q.query('UPDATE activities SET deleted = true, seq = $1 WHERE id = $2 AND NOT deleted', [
      this.seq.peek(),
      id,
    ]);
    if (r.rowCount === 0) return false;
    this.seq.take();
    this.deletedActivities += 1;
    return true;
  }

  async commit(now: Date, config: EngagementConfig, opts: { memberStats?: boolean } = {}): Promise<WriteCounts> {
    this.assertOpen();
    try {
      await this.flush();
      this.deletedActivities += await deleteActivitiesOfMembers(this.q, this.seq, [...this.deletedMembers]);
      const stats = opts.memberStats === false ? [] : await recomputeMemberStats(this.q, this.seq, now, config);
      for (const id of stats) if (!this.newMembers.has(id)) this.changedMembers.add(id);
      for (const id of await recomputeMemberCounts(this.q, this.seq)) {
        if (!this.newCommunities.has(id)) this.changedCommunities.add(id);
      }
      const counts = this.counts();
      await this.seq.save();
      this.open = false;
      await this.tx.commit();
      return counts;
    } catch (err) {
      if (this.open) await this.rollback();
      throw err;
    }
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    this.buffered = [];
    await this.tx.rollback();
  }

  private counts(): WriteCounts {
    const changed = this.activityWrites - this.activitiesAdded;
    return {
      communities: kindCounts(this.seenCommunities, this.newCommunities, this.changedCommunities),
      members: kindCounts(this.seenMembers, this.newMembers, this.changedMembers),
      activities: {
        new: this.activitiesAdded,
        changed,
        unchanged: Math.max(0, this.activitySeen - this.activitiesAdded - changed),
        deleted: this.deletedActivities,
      },
    };
  }

  private outcome(
    r: { changed: boolean; inserted: boolean },
    id: string,
    added: Set<string>,
    changed: Set<string>,
  ): WriteOutcome {
    if (!r.changed) return 'unchanged';
    this.seq.take();
    if (r.inserted) {
      added.add(id);
      return 'new';
    }
    if (!added.has(id)) changed.add(id);
    return 'changed';
  }

  private assertOpen(): void {
    if (!this.open) throw new Error('This store writer is already committed or rolled back.');
  }
}

function kindCounts(seen: Set<string>, added: Set<string>, changed: Set<string>): KindCounts {
  let unchanged = 0;
  for (const id of seen) if (!added.has(id) && !changed.has(id)) unchanged += 1;
  return { new: added.size, changed: changed.size, unchanged };
}
