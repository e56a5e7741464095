import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EngagementConfig } from '../engagement';
import { UsageError } from '../errors';
import { ensurePrivateFile } from '../state-dir';
import { COMMUNITY_MIGRATIONS, applyMigrations } from './migrations';
import { toActivity, toCommunity, toMember, type ActivityDb, type CommunityDb, type MemberDb } from './rows';
import { SeqCounter, recomputeMemberCounts, recomputeMemberStats } from './stats';
import type { ActivityRow, CommunityRow, MemberRow, ObjectKind, StoredRow } from './types';
import { StoreWriter } from './writer';

export { applyMigrations, schemaVersion, COMMUNITY_MIGRATIONS, type Migration } from './migrations';
export { StoreWriter, type WriteCounts, type KindCounts, type WriteOutcome } from './writer';
export type { CommunityInput, MemberInput } from './rows';
export { scoringTime } from './stats';
export * from './types';

export const STORE_FILE = 'store.db';

/**
 * The community store: communities, members and activities, each row with a change sequence.
 * Knows nothing of Salesforce; the push reads "changed since seq N" pages from it.
 */
export interface Store {
  /** ONLY for scripts/sync/ledger (the push's bookkeeping tables in the same SQLite file). */
  readonly db: Database.Database;
  readonly file: string;
  close(): void;
  /** Keyset pages in ascending seq order of rows whose seq > afterSeq (includes deleted rows with deleted=true). */
  changedCommunities(afterSeq: number, limit: number): StoredRow<CommunityRow>[];
  changedMembers(afterSeq: number, limit: number): StoredRow<MemberRow>[];
  changedActivities(afterSeq: number, limit: number): StoredRow<ActivityRow>[];
  countChanged(kind: ObjectKind, afterSeq: number): number;
  /** One global, monotonically increasing change sequence across all kinds. */
  maxSeq(): number;
  getCommunity(id: string): StoredRow<CommunityRow> | undefined;
  getMember(id: string): StoredRow<MemberRow> | undefined;
  getActivity(id: string): StoredRow<ActivityRow> | undefined;
  /** Not-deleted rows per kind. */
  counts(): Record<ObjectKind, number>;
  /** Recompute scores/levels at `now` for all members; bumps seq only of members whose rounded score or level changed. */
  rescore(now: Date, config: EngagementConfig): { changed: number };
  /** Starts one write transaction for an ingest (the sources' only way in). */
  beginWrite(): StoreWriter;
}

const TABLES: Record<ObjectKind, string> = { community: 'communities', member: 'members', activity: 'activities' };

class SqliteStore implements Store {
  private readonly pages: Record<ObjectKind, Database.Statement>;
  private readonly gets: Record<ObjectKind, Database.Statement>;

  constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {
    this.pages = {
      community: db.prepare('SELECT * FROM communities WHERE seq > ? ORDER BY seq LIMIT ?'),
      member: db.prepare('SELECT * FROM members WHERE seq > ? ORDER BY seq LIMIT ?'),
      activity: db.prepare('SELECT * FROM activities WHERE seq > ? ORDER BY seq LIMIT ?'),
    };
    this.gets = {
      community: db.prepare('SELECT * FROM communities WHERE id = ?'),
      member: db.prepare('SELECT * FROM members WHERE id = ?'),
      activity: db.prepare('SELECT * FROM activities WHERE id = ?'),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  changedCommunities(afterSeq: number, limit: number): StoredRow<CommunityRow>[] {
    return (this.pages.community.all(afterSeq, limit) as CommunityDb[]).map(toCommunity);
  }

  changedMembers(afterSeq: number, limit: number): StoredRow<MemberRow>[] {
    return (this.pages.member.all(afterSeq, limit) as MemberDb[]).map(toMember);
  }

  changedActivities(afterSeq: number, limit: number): StoredRow<ActivityRow>[] {
    return (this.pages.activity.all(afterSeq, limit) as ActivityDb[]).map(toActivity);
  }

  countChanged(kind: ObjectKind, afterSeq: number): number {
    return this.db.prepare(`SELECT COUNT(*) FROM ${TABLES[kind]} WHERE seq > ?`).pluck().get(afterSeq) as number;
  }

  maxSeq(): number {
    return this.db.prepare("SELECT value FROM store_meta WHERE key = 'last_seq'").pluck().get() as number;
  }

  getCommunity(id: string): StoredRow<CommunityRow> | undefined {
    const r = this.gets.community.get(id) as CommunityDb | undefined;
    return r ? toCommunity(r) : undefined;
  }

  getMember(id: string): StoredRow<MemberRow> | undefined {
    const r = this.gets.member.get(id) as MemberDb | undefined;
    return r ? toMember(r) : undefined;
  }

  getActivity(id: string): StoredRow<ActivityRow> | undefined {
    const r = this.gets.activity.get(id) as ActivityDb | undefined;
    return r ? toActivity(r) : undefined;
  }

  counts(): Record<ObjectKind, number> {
    const count = (kind: ObjectKind): number =>
      this.db.prepare(`SELECT COUNT(*) FROM ${TABLES[kind]} WHERE deleted = 0`).pluck().get() as number;
    return { community: count('community'), member: count('member'), activity: count('activity') };
  }

  rescore(now: Date, config: EngagementConfig): { changed: number } {
    return this.db
      .transaction(() => {
        const seq = new SeqCounter(this.db);
        const changed = recomputeMemberStats(this.db, seq, now, config).length;
        recomputeMemberCounts(this.db, seq);
        seq.save();
        return { changed };
      })
      .immediate();
  }

  beginWrite(): StoreWriter {
    return new StoreWriter(this.db);
  }
}

/**
 * Opens (creating when needed) the store: `<stateDir>/store.db`, or an explicit file. WAL journal;
 * migrations of module 'community' applied on open; a store from a newer release is refused.
 */
export function openStore(opts: { stateDir: string } | { file: string }): Store {
  const file = 'file' in opts ? opts.file : join(opts.stateDir, STORE_FILE);
  let db: Database.Database;
  try {
    ensurePrivateFile(file, 'stateDir' in opts ? opts.stateDir : undefined);
    db = new Database(file);
  } catch (err) {
    throw new UsageError('STORE_UNAVAILABLE', `Cannot open the store ${file}: ${(err as Error).message}`, {
      actions: ['Check that the state directory exists and is writable, or choose another one with --state-dir.'],
      cause: err,
    });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -16384');
    applyMigrations(db, 'community', COMMUNITY_MIGRATIONS);
  } catch (err) {
    db.close();
    if (err instanceof UsageError) throw err;
    throw new UsageError('STORE_UNREADABLE', `The store ${file} cannot be used: ${(err as Error).message}`, {
      actions: ['Move the file aside (it may be damaged or not a tightknit-sync store) and ingest again.'],
      cause: err,
    });
  }
  return new SqliteStore(db, file);
}
