import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EngagementConfig } from '../../engagement';
import { UsageError } from '../../errors';
import { ensurePrivateFile } from '../../state-dir';
import type { Store } from '../contract';
import { STORE_FILE } from '../file';
import type { ActivityRow, CommunityRow, MemberRow, ObjectKind, StoredRow } from '../types';
import { storeBusy } from './busy';
import { SqliteFeedPositions } from './feed-positions';
import { SqliteEventInbox } from './inbox';
import { SqliteLedger } from './ledger';
import { SqliteMatchLedger } from './links';
import { migrateStore } from './migrations';
import { SqliteReceivers } from './receivers';
import { toActivity, toCommunity, toMember, type ActivityDb, type CommunityDb, type MemberDb } from './rows';
import { SqliteSlackCursors } from './slack-cursors';
import { SqliteSourceState } from './source-state';
import { SqliteTransfer } from './transfer';
import { SeqCounter, recomputeMemberCounts, recomputeMemberStats } from './stats';
import { SqliteWriter } from './writer';

const TABLES: Record<ObjectKind, string> = { community: 'communities', member: 'members', activity: 'activities' };

/** The embedded store: one SQLite file, one connection, every query of the sync in this folder. */
export class SqliteStore implements Store {
  readonly ledger: SqliteLedger;
  readonly matchLedger: SqliteMatchLedger;
  readonly inbox: SqliteEventInbox;
  readonly receivers: SqliteReceivers;
  readonly slackCursors: SqliteSlackCursors;
  readonly feedPositions: SqliteFeedPositions;
  readonly sourceState: SqliteSourceState;
  readonly transfer: SqliteTransfer;
  private readonly pages: Record<ObjectKind, Database.Statement>;
  private readonly gets: Record<ObjectKind, Database.Statement>;

  constructor(
    private readonly db: Database.Database,
    readonly location: string,
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
    this.ledger = new SqliteLedger(db);
    this.matchLedger = new SqliteMatchLedger(db);
    this.inbox = new SqliteEventInbox(db);
    this.receivers = new SqliteReceivers(db);
    this.slackCursors = new SqliteSlackCursors(db);
    this.feedPositions = new SqliteFeedPositions(db);
    this.sourceState = new SqliteSourceState(db);
    this.transfer = new SqliteTransfer(db);
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
    return this.transaction(() => {
      const seq = new SeqCounter(this.db);
      const changed = recomputeMemberStats(this.db, seq, now, config).length;
      recomputeMemberCounts(this.db, seq);
      seq.save();
      return { changed };
    });
  }

  beginWrite(): SqliteWriter {
    return new SqliteWriter(this.db, this);
  }

  /**
   * Opens a transaction that stays open across awaits (the Promise-based view's transaction(), which
   * serializes them): IMMEDIATE, so another process's writer makes it wait, then fail with STORE_BUSY.
   */
  begin(): void {
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      throw storeBusy(this.location, err);
    }
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  transaction<T>(fn: () => T): T {
    // IMMEDIATE takes the write lock up front, so a concurrent writer waits (busy timeout) instead of
    // failing at its first write; inside an open write it becomes a savepoint.
    return this.db.transaction(fn).immediate();
  }
}

/** Where to open the store, and how hard a commit must hold. */
export type OpenStoreOptions = ({ stateDir: string } | { file: string }) & {
  /**
   * synchronous=FULL instead of NORMAL: a commit survives a power cut too, not only a crash of the
   * process. The Events API receiver asks for it: it acknowledges an event to Slack once `add` returns.
   */
  durable?: boolean;
};

/**
 * Opens (creating when needed) the store: `<stateDir>/store.db`, or an explicit file. WAL journal;
 * every module's migrations applied on open; a store from a newer release is refused.
 */
export function openStore(opts: OpenStoreOptions): Store {
  return openSqliteStore(opts);
}

/** `openStore`, typed as the implementation (for the Promise-based view in async.ts). */
export function openSqliteStore(opts: OpenStoreOptions): SqliteStore {
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
    db.pragma(opts.durable ? 'synchronous = FULL' : 'synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -16384');
    migrateStore(db);
    return new SqliteStore(db, file);
  } catch (err) {
    db.close();
    if (err instanceof UsageError) throw err;
    throw new UsageError('STORE_UNREADABLE', `The store ${file} cannot be used: ${(err as Error).message}`, {
      actions: ['Move the file aside (it may be damaged or not a tightknit-sync store) and ingest again.'],
      cause: err,
    });
  }
}
