import type { MigrationBuilder } from 'node-pg-migrate';

/**
 * What pruned attempts leave behind. `run_attempts` keeps a bounded history per tenant (the workers
 * delete the oldest finished rows); the attempts and records pushed of the deleted rows are added
 * here, per tenant and status, so /metrics' totals never go down. An operator table like
 * `run_attempts`: no row-level security, no privilege for the application role; counts only.
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE run_attempts_pruned (
      tenant_id bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      status text NOT NULL,
      attempts bigint NOT NULL DEFAULT 0,
      records_pushed bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (tenant_id, status)
    );
  `);
}
