import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { applyMigrations, type Migration } from '../../store/migrations';

/** How often a running receiver says it is alive. */
export const BEAT_EVERY_MS = 30_000;
/** A receiver not heard from for this long died without closing (a crash, kill -9, a host gone). */
export const SILENT_AFTER_MS = 3 * BEAT_EVERY_MS;
/** Rows of receivers that stopped or fell silent this long ago are deleted when another one starts. */
const FORGET_AFTER_MS = 7 * 24 * 3600 * 1000;

export type ReceiverMode = 'http' | 'socket-mode';

/** One receiver that stored (or stores) events into this state directory, as it last said. */
export interface ReceiverRecord {
  token: string;
  mode: ReceiverMode;
  /** Its Request URL, or "Socket Mode". */
  address: string;
  pid: number;
  startedAt: string;
  /** Written when it starts, then every BEAT_EVERY_MS while it runs, and when it closes. */
  seenAt: string;
  /** Null while it runs (or after a crash). */
  stoppedAt: string | null;
  /** A complete Web API read ran while it was receiving: nothing from before it started is missing. */
  covered: boolean;
}

/** Module 'slack-receivers' in store.db: one row per receiver, so two running at once never hide each other. */
const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'receivers say they are alive, so the live source can tell a quiet workspace from a dead receiver',
    up: (db) =>
      db.exec(`
        CREATE TABLE slack_receivers (
          token TEXT PRIMARY KEY,
          mode TEXT NOT NULL,
          address TEXT NOT NULL,
          pid INTEGER NOT NULL,
          started_at TEXT NOT NULL,
          seen_at TEXT NOT NULL,
          stopped_at TEXT,
          covered INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
      `),
  },
];

/** The receivers' rows. Every write is one autocommitted statement. */
export class Receivers {
  constructor(private readonly db: Database.Database) {
    applyMigrations(db, 'slack-receivers', MIGRATIONS);
  }

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

/**
 * receiving: a receiver of the configured mode runs and was heard from lately; stopped: the last one
 * closed; silent: the last one stopped saying it is alive without closing (or its clock is far off);
 * none: no receiver of that mode ever stored into this state directory.
 */
export type ReceiverState = 'receiving' | 'stopped' | 'silent' | 'none';

export interface CurrentReceiver {
  state: ReceiverState;
  /** The receiver the state is about: a running one if any, else the last one heard from. */
  record: ReceiverRecord | null;
  /** Every receiver of that mode running now (a read while they run covers them all). */
  running: ReceiverRecord[];
  /** A receiver of the other mode that runs: Slack sends events to one mode only, so it receives nothing. */
  otherMode: ReceiverRecord | null;
}

function isRunning(r: ReceiverRecord, now: Date): boolean {
  return r.stoppedAt === null && Math.abs(now.getTime() - Date.parse(r.seenAt)) <= SILENT_AFTER_MS;
}

/** Which receiver the configured mode has at `now` (the wall clock: heartbeats are written with it). */
export function currentReceiver(records: readonly ReceiverRecord[], mode: ReceiverMode, now: Date): CurrentReceiver {
  const ofMode = records.filter((r) => r.mode === mode);
  const running = ofMode.filter((r) => isRunning(r, now));
  const otherMode = records.find((r) => r.mode !== mode && isRunning(r, now)) ?? null;
  if (running.length > 0) {
    const record = running.find((r) => r.covered) ?? running[0];
    return { state: 'receiving', record, running, otherMode };
  }
  const last = ofMode[0] ?? null;
  return { state: !last ? 'none' : last.stoppedAt !== null ? 'stopped' : 'silent', record: last, running, otherMode };
}
