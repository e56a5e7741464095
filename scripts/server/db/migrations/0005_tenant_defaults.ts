import type { MigrationBuilder } from 'node-pg-migrate';
import { TENANT_SETTING } from '../tenant-tables';

/** Every tenant-private table of steps 0002–0004. */
const TABLES = [
  'tenant_sequences',
  'communities',
  'members',
  'activities',
  'source_files',
  'tenant_settings',
  'tenant_secrets',
  'ledger_runs',
  'ledger_run_objects',
  'ledger_jobs',
  'ledger_failed',
  'ledger_pending',
  'ledger_watermarks',
  'ledger_records',
  'ledger_deletes',
  'ledger_contact_links',
  'ledger_match_waiting',
  'ledger_match_watermarks',
  'ledger_match_seen',
  'ledger_events',
  'slack_inbox',
  'slack_inbox_unknown',
  'slack_receivers',
  'slack_channels',
  'slack_bots',
  'slack_meta',
  'feed_follow',
  'live_source_state',
];

/**
 * tenant_id defaults to the tenant of the transaction, so the PostgreSQL store's inserts never name it:
 * a row can only ever be written for the tenant `withTenant` set (the policy's WITH CHECK holds too).
 */
export function up(pgm: MigrationBuilder): void {
  for (const t of TABLES) {
    pgm.sql(
      `ALTER TABLE ${t} ALTER COLUMN tenant_id SET DEFAULT NULLIF(current_setting('${TENANT_SETTING}', true), '')::bigint`,
    );
  }
}
