import type Database from 'better-sqlite3';
import { openStore } from '../../store';
import { EventInbox } from './inbox';

/** Where a receiver keeps its inbox: the state directory's store.db, or a connection the caller owns. */
export type InboxTarget = { stateDir: string } | { db: Database.Database };

export interface OpenedInbox {
  inbox: EventInbox;
  /** The connection the inbox uses (the receiver's liveness rows go there too). */
  db: Database.Database;
  /** Closes the connection only when this module opened it. */
  close(): void;
}

/**
 * Opens the inbox. With a state directory the receiver gets its own connection to store.db: WAL with
 * a busy timeout (set by openStore), so an insert waits for a push's commit instead of failing with
 * SQLITE_BUSY, and synchronous=FULL, so an event acknowledged to Slack survives a power cut too.
 */
export function openInbox(target: InboxTarget): OpenedInbox {
  if ('db' in target) {
    const busy = target.db.pragma('busy_timeout', { simple: true }) as number;
    if (busy < 1000) target.db.pragma('busy_timeout = 5000');
    return { inbox: new EventInbox(target.db), db: target.db, close: () => undefined };
  }
  const store = openStore({ stateDir: target.stateDir });
  try {
    store.db.pragma('synchronous = FULL');
    return { inbox: new EventInbox(store.db), db: store.db, close: () => store.close() };
  } catch (err) {
    store.close();
    throw err;
  }
}
