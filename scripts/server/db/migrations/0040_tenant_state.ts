import type { MigrationBuilder } from 'node-pg-migrate';
import { APP_ROLE, TENANT_COLUMN, TENANT_SETTING, tenantPrivate } from '../tenant-tables';

/**
 * What a state directory's config.json holds, per tenant and versioned: every saved configuration is a
 * new row, so a save made from a stale version can be refused with what changed since (the version the
 * saver read is still there to compare with). The newest version is the configuration in force.
 *
 * Also lets the application role draw run and job ids itself: `migrate-state` gives the runs and jobs
 * of a state directory new ids (ids are unique across tenants) and must know each one before it writes
 * the rows that refer to it.
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE tenant_configs (
      ${TENANT_COLUMN} DEFAULT NULLIF(current_setting('${TENANT_SETTING}', true), '')::bigint,
      version integer NOT NULL CHECK (version > 0),
      config jsonb NOT NULL,
      saved_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (tenant_id, version)
    );
    GRANT USAGE ON SEQUENCE ledger_runs_id_seq, ledger_jobs_id_seq TO ${APP_ROLE};
  `);
  tenantPrivate(pgm, 'tenant_configs');
}
