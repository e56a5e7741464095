import type Database from 'better-sqlite3';
import type { SourceState } from '../contract';

/** Small key/value state of the live source, in the store file (module 'live-source'). */
export class SqliteSourceState implements SourceState {
  constructor(private readonly db: Database.Database) {}

  get(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM live_source_state WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value ?? null;
  }

  set(values: Record<string, string | null>): void {
    const put = this.db.prepare(
      'INSERT INTO live_source_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    const del = this.db.prepare('DELETE FROM live_source_state WHERE key = ?');
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(values)) {
        if (v === null) del.run(k);
        else put.run(k, v);
      }
    })();
  }
}
