import type Database from 'better-sqlite3';
import type { EventInbox } from '../contract';
import type { InboxCounts, InboxEnvelope, InboxEvent } from '../records';

interface InboxRow {
  event_id: string;
  team_id: string;
  type: string;
  event_time: number;
  received_at: string;
  body: string;
}

/**
 * The durable queue between the Events API receiver (HTTP or Socket Mode) and the code that applies
 * events to the store. Every write is a single autocommitted statement, so `add` has committed when it
 * returns; SQLite serializes it with a push's transaction (the connection needs a busy timeout).
 */
export class SqliteEventInbox implements EventInbox {
  private readonly insert: Database.Statement;
  private readonly selectPending: Database.Statement;
  private readonly markOne: Database.Statement;
  private readonly unknown: Database.Statement;
  private readonly prunes: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO slack_inbox (event_id, team_id, type, event_time, received_at, body)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
    );
    this.selectPending = db.prepare(
      'SELECT event_id, team_id, type, event_time, received_at, body FROM slack_inbox WHERE applied_at IS NULL ORDER BY seq LIMIT ?',
    );
    this.markOne = db.prepare('UPDATE slack_inbox SET applied_at = ? WHERE event_id = ? AND applied_at IS NULL');
    this.unknown = db.prepare(
      `INSERT INTO slack_inbox_unknown (type, count, last_seen_at) VALUES (?, 1, ?)
       ON CONFLICT (type) DO UPDATE SET count = count + 1, last_seen_at = excluded.last_seen_at`,
    );
    this.prunes = db.prepare('DELETE FROM slack_inbox WHERE applied_at IS NOT NULL AND received_at < ?');
  }

  /** Stores one envelope durably (committed before it returns). false = duplicate event_id (a Slack retry). */
  add(envelope: InboxEnvelope, rawBody: string, receivedAt: Date = new Date()): boolean {
    const info = this.insert.run(
      envelope.event_id,
      envelope.team_id,
      envelope.event.type,
      envelope.event_time,
      receivedAt.toISOString(),
      rawBody,
    );
    return info.changes === 1;
  }

  /** Not yet applied events, oldest first (by receive order). */
  pending(limit: number): InboxEvent[] {
    return (this.selectPending.all(limit) as InboxRow[]).map((r) => ({
      eventId: r.event_id,
      teamId: r.team_id,
      type: r.type,
      eventTime: r.event_time,
      receivedAt: r.received_at,
      body: r.body,
    }));
  }

  /**
   * Marks events applied. Opens no transaction of its own: called inside the caller's transaction, it
   * commits or rolls back together with the store writes that applied the events.
   */
  markApplied(eventIds: readonly string[]): void {
    const at = new Date().toISOString();
    for (const id of eventIds) this.markOne.run(at, id);
  }

  counts(): InboxCounts {
    const row = this.db
      .prepare(
        `SELECT COALESCE(SUM(applied_at IS NULL), 0) AS pending, COALESCE(SUM(applied_at IS NOT NULL), 0) AS applied,
                MAX(received_at) AS lastReceivedAt FROM slack_inbox`,
      )
      .get() as { pending: number; applied: number; lastReceivedAt: string | null };
    const unknownTypes = this.db.prepare('SELECT COALESCE(SUM(count), 0) FROM slack_inbox_unknown').pluck().get();
    return { ...row, unknownTypes: unknownTypes as number };
  }

  /** Per unknown event type, how many were acknowledged without being stored. */
  unknownTypes(): Record<string, number> {
    const rows = this.db.prepare('SELECT type, count FROM slack_inbox_unknown ORDER BY type').all() as {
      type: string;
      count: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.type, r.count]));
  }

  noteUnknownType(type: string): void {
    this.unknown.run(type, new Date().toISOString());
  }

  /**
   * Deletes applied events received before `before`. Slack retries for about an hour, so anything kept
   * longer than that only serves investigation; pending events are never pruned.
   */
  prune(before: Date): number {
    return this.prunes.run(before.toISOString()).changes;
  }
}
