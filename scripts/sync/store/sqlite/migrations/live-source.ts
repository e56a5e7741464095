import type { Migration } from './migration';

/** Module 'live-source': small key/value state of the live source (last catch-up, first import, last error). */
export const LIVE_SOURCE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'live source state: last catch-up, first import, last error',
    up: (db) => db.exec(`CREATE TABLE live_source_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`),
  },
];
