import Database from 'better-sqlite3';
import type { Store } from '../sync/store';

/**
 * Runs `fn` on a second connection to an embedded store's SQLite file, for tests that stage what the
 * domain methods cannot: a fault (a trigger that aborts an insert), or the rows a crash leaves behind.
 * The store's own connection sees the change at its next statement (WAL).
 */
export function onStoreFile<T>(store: Pick<Store, 'location'>, fn: (db: Database.Database) => T): T {
  const db = new Database(store.location);
  try {
    db.pragma('busy_timeout = 5000');
    return fn(db);
  } finally {
    db.close();
  }
}
