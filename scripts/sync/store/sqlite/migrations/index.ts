import type Database from 'better-sqlite3';
import { applyMigrations } from './apply';
import { COMMUNITY_MIGRATIONS } from './community';
import { FEED_FOLLOW_MIGRATIONS } from './feed';
import { LEDGER_MIGRATIONS } from './ledger';
import { LIVE_SOURCE_MIGRATIONS } from './live-source';
import type { Migration } from './migration';
import { SLACK_CURSORS_MIGRATIONS, SLACK_INBOX_MIGRATIONS, SLACK_RECEIVERS_MIGRATIONS } from './slack';

export { applyMigrations, schemaVersion } from './apply';
export type { Migration } from './migration';

/**
 * Every module of the store file with its numbered steps, in the order they are applied on open. The
 * module names and versions are the ones earlier releases wrote into schema_versions (each module used
 * to migrate itself when first used), so an existing state directory opens without a step being re-run.
 */
export const STORE_MODULES: ReadonlyArray<{ module: string; migrations: Migration[] }> = [
  { module: 'community', migrations: COMMUNITY_MIGRATIONS },
  { module: 'ledger', migrations: LEDGER_MIGRATIONS },
  { module: 'slack-inbox', migrations: SLACK_INBOX_MIGRATIONS },
  { module: 'slack-receivers', migrations: SLACK_RECEIVERS_MIGRATIONS },
  { module: 'slack-cursors', migrations: SLACK_CURSORS_MIGRATIONS },
  { module: 'feed-follow', migrations: FEED_FOLLOW_MIGRATIONS },
  { module: 'live-source', migrations: LIVE_SOURCE_MIGRATIONS },
];

/** Brings every module of the store file to its newest schema (one transaction per step). */
export function migrateStore(db: Database.Database): void {
  for (const { module, migrations } of STORE_MODULES) applyMigrations(db, module, migrations);
}
