import type { MigrationBuilder } from 'node-pg-migrate';
import { APP_ROLE, TENANT_SETTING } from '../tenant-tables';

/**
 * The audit trail: append-only. The application role may insert and read rows, never update or delete
 * them (no such grant exists). Rows of a tenant are private to it (row-level security); rows with no
 * tenant are operator-wide (tenants added, sign-in failures before a tenant is known). The policies are
 * not forced, so the server's own connection (the table owner) reads the whole trail for the operator's
 * `tightknit-sync audit`, while a transaction running as the application role sees one tenant's rows.
 */
export function up(pgm: MigrationBuilder): void {
  const current = `NULLIF(current_setting('${TENANT_SETTING}', true), '')::bigint`;
  pgm.sql(`
    CREATE TABLE audit_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      tenant_id bigint REFERENCES tenants (id) ON DELETE CASCADE,
      actor text NOT NULL,
      action text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      ip text,
      at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX audit_events_tenant_at ON audit_events (tenant_id, at);
    CREATE INDEX audit_events_ip_action_at ON audit_events (ip, action, at);

    ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
    CREATE POLICY audit_events_read ON audit_events FOR SELECT TO ${APP_ROLE}
      USING (tenant_id = ${current});
    -- A tenant's transaction writes its own rows; one with no tenant set writes operator-wide rows.
    CREATE POLICY audit_events_append ON audit_events FOR INSERT TO ${APP_ROLE}
      WITH CHECK (tenant_id IS NOT DISTINCT FROM ${current});
    GRANT SELECT, INSERT ON audit_events TO ${APP_ROLE};
  `);
}
