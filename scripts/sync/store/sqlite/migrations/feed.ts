import type { Migration } from './migration';

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
