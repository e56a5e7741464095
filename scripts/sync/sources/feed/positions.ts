import type Database from 'better-sqlite3';
import { applyMigrations, type Migration } from '../../store/migrations';

/** How far a followed feed file was imported, saved in the same transaction as the lines it covers. */
export interface FeedPosition {
  /** Byte offset just past the last imported line. */
  offset: number;
  /** Lines (blank ones included) up to that offset. */
  line: number;
  /** The file's first `headBytes` bytes hash to `headHash`: a replaced file is told apart from a grown one. */
  headBytes: number;
  headHash: string;
  updatedAt: string;
}

/** Module 'feed-follow' of the store file: one row per followed feed file. */
export const FEED_FOLLOW_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'feed_follow: the position each followed feed file was imported up to',
    up: (db) => {
      db.exec(`
        CREATE TABLE feed_follow (
          path TEXT NOT NULL PRIMARY KEY,
          offset INTEGER NOT NULL,
          line INTEGER NOT NULL,
          head_bytes INTEGER NOT NULL,
          head_hash TEXT NOT NULL,
          updated_at TEXT NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
];

interface PositionDb {
  offset: number;
  line: number;
  head_bytes: number;
  head_hash: string;
  updated_at: string;
}

/** Saved positions of followed feed files, keyed by the file's real path. */
export class FeedPositions {
  private readonly getStmt: Database.Statement;
  private readonly putStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;

  constructor(db: Database.Database) {
    applyMigrations(db, 'feed-follow', FEED_FOLLOW_MIGRATIONS);
    this.getStmt = db.prepare('SELECT offset, line, head_bytes, head_hash, updated_at FROM feed_follow WHERE path = ?');
    this.putStmt = db.prepare(
      `INSERT INTO feed_follow (path, offset, line, head_bytes, head_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET offset = excluded.offset, line = excluded.line,
         head_bytes = excluded.head_bytes, head_hash = excluded.head_hash, updated_at = excluded.updated_at`,
    );
    this.deleteStmt = db.prepare('DELETE FROM feed_follow WHERE path = ?');
  }

  get(path: string): FeedPosition | undefined {
    const r = this.getStmt.get(path) as PositionDb | undefined;
    if (!r) return undefined;
    return { offset: r.offset, line: r.line, headBytes: r.head_bytes, headHash: r.head_hash, updatedAt: r.updated_at };
  }

  /** Call inside the transaction that wrote the lines up to `p.offset`. */
  save(path: string, p: FeedPosition): void {
    this.putStmt.run(path, p.offset, p.line, p.headBytes, p.headHash, p.updatedAt);
  }

  forget(path: string): boolean {
    return this.deleteStmt.run(path).changes > 0;
  }
}
