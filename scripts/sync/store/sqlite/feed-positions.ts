import type Database from 'better-sqlite3';
import type { FeedPositions } from '../contract';
import type { FeedPosition } from '../records';

interface PositionDb {
  offset: number;
  line: number;
  head_bytes: number;
  head_hash: string;
  updated_at: string;
}

/** Saved positions of followed feed files, keyed by the file's real path. */
export class SqliteFeedPositions implements FeedPositions {
  private readonly getStmt: Database.Statement;
  private readonly putStmt: Database.Statement;
  private readonly deleteStmt: Database.Statement;

  constructor(db: Database.Database) {
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
