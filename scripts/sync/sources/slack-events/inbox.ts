import type Database from 'better-sqlite3';
import { applyMigrations, type Migration } from '../../store/migrations';

/** One stored Events API envelope. */
export interface InboxEvent {
  eventId: string;
  teamId: string;
  type: string;
  eventTime: number;
  receivedAt: string;
  /** The raw envelope JSON, exactly as Slack sent it. */
  body: string;
}

/** The fields of an `event_callback` envelope the inbox keys on. */
export interface InboxEnvelope {
  event_id: string;
  team_id: string;
  event_time: number;
  event: { type: string };
}

export interface InboxCounts {
  pending: number;
  applied: number;
  lastReceivedAt: string | null;
  unknownTypes: number;
}

/** Module 'slack-inbox' in store.db: the received events, and a counter of event types nobody applies. */
export const SLACK_INBOX_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'slack event inbox keyed by event_id; unknown event type counters',
    up: (db) => {
      db.exec(`
        -- seq is the receive order; event_id is unique so a Slack retry of the same event is stored once.
        CREATE TABLE slack_inbox (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          event_id TEXT NOT NULL UNIQUE,
          team_id TEXT NOT NULL,
          type TEXT NOT NULL,
          event_time INTEGER NOT NULL,
          received_at TEXT NOT NULL,
          body TEXT NOT NULL,
          applied_at TEXT
        );
        CREATE INDEX slack_inbox_pending ON slack_inbox (seq) WHERE applied_at IS NULL;
        CREATE TABLE slack_inbox_unknown (
          type TEXT PRIMARY KEY,
          count INTEGER NOT NULL,
          last_seen_at TEXT NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
];

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
export class EventInbox {
  private readonly insert: Database.Statement;
  private readonly selectPending: Database.Statement;
  private readonly markOne: Database.Statement;
  private readonly unknown: Database.Statement;
  private readonly prunes: Database.Statement;

  constructor(private readonly db: Database.Database) {
    applyMigrations(db, 'slack-inbox', SLACK_INBOX_MIGRATIONS);
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
