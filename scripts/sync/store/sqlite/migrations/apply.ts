import type Database from 'better-sqlite3';
import { UsageError } from '../../../errors';
import type { Migration } from './migration';

/**
 * Brings `module`'s tables to the newest of `migrations`, one transaction per step, and records the
 * version in schema_versions. Several modules (the community store, the push ledger) share one file
 * and track their versions independently. A store written by a newer release is refused rather than
 * guessed at.
 */
export function applyMigrations(db: Database.Database, module: string, migrations: Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_versions (module TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migrations of module '${module}' must be numbered 1, 2, 3, ...; found ${m.version} at ${i + 1}`);
    }
  });
  const known = sorted.length;
  const row = db.prepare('SELECT version FROM schema_versions WHERE module = ?').get(module) as
    { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > known) {
    throw new UsageError(
      'STORE_SCHEMA_TOO_NEW',
      `The store ${db.name} was written by a newer tightknit-sync (module '${module}' is at schema version ${current}; this version knows up to ${known}).`,
      {
        actions: [
          'Upgrade tightknit-sync to the version that wrote this store, or point --state-dir at another directory.',
        ],
      },
    );
  }
  const record = db.prepare(
    'INSERT INTO schema_versions (module, version) VALUES (?, ?) ON CONFLICT(module) DO UPDATE SET version = excluded.version',
  );
  for (const m of sorted) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      record.run(module, m.version);
    })();
  }
}

/** Current version of a module's tables (0 when never migrated). */
export function schemaVersion(db: Database.Database, module: string): number {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'").get();
  if (!exists) return 0;
  const row = db.prepare('SELECT version FROM schema_versions WHERE module = ?').get(module) as
    { version: number } | undefined;
  return row?.version ?? 0;
}
