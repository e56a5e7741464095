import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Receivers } from '../contract';
import type { ReceiverMode, ReceiverRecord } from '../records';

/** Rows of receivers that stopped or fell silent this long ago are deleted when another one starts. */
const FORGET_AFTER_MS = 7 * 24 * 3600 * 1000;

/** The receivers' rows. Every write is one autocommitted statement. */
export class SqliteReceivers implements Receivers {
  constructor(private readonly db: Database.Database) {}

  /** A receiver starts; returns the token its later writes name. Long-gone receivers are forgotten. */
  started(mode: ReceiverMode, address: string, at: Date = new Date()): string {
    const token = randomUUID();
    const now = at.toISOString();
    this.db.transaction(() => {
      this.db
        .prepare('DELETE FROM slack_receivers WHERE seen_at < ?')
        .run(new Date(at.getTime() - FORGET_AFTER_MS).toISOString());
      this.db
        .prepare(
          `INSERT INTO slack_receivers (token, mode, address, pid, started_at, seen_at) VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(token, mode, address, process.pid, now, now);
    })();
    return token;
  }

  alive(token: string, at: Date = new Date()): void {
    this.db
      .prepare('UPDATE slack_receivers SET seen_at = ? WHERE token = ? AND stopped_at IS NULL')
      .run(at.toISOString(), token);
  }

  stopped(token: string, at: Date = new Date()): void {
    this.db
      .prepare('UPDATE slack_receivers SET seen_at = ?, stopped_at = ? WHERE token = ? AND stopped_at IS NULL')
      .run(at.toISOString(), at.toISOString(), token);
  }

  /** A complete Web API read ran while these receivers were running. */
  covered(tokens: readonly string[]): void {
    const mark = this.db.prepare('UPDATE slack_receivers SET covered = 1 WHERE token = ?');
    for (const token of tokens) mark.run(token);
  }

  /** Every row, most recently heard from first. */
  all(): ReceiverRecord[] {
    const rows = this.db
      .prepare(
        `SELECT token, mode, address, pid, started_at AS startedAt, seen_at AS seenAt, stopped_at AS stoppedAt,
                covered FROM slack_receivers ORDER BY seen_at DESC`,
      )
      .all() as Array<Omit<ReceiverRecord, 'covered'> & { covered: number }>;
    return rows.map((r) => ({ ...r, covered: r.covered === 1 }));
  }
}
