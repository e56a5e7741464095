import type Database from 'better-sqlite3';

/** One numbered schema step of a module. Versions start at 1 and increase by one. */
export interface Migration {
  version: number;
  name: string;
  up: (db: Database.Database) => void;
}
