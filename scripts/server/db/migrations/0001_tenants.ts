import type { MigrationBuilder } from 'node-pg-migrate';
import { APP_ROLE } from '../tenant-tables';

/**
 * The operator's tables: the tenant registry and each tenant's wrapped data key. Neither is
 * tenant-private (the operator lists and rotates across tenants) and the application role gets no
 * privilege on either. Also creates the application role when it does not exist yet.
 */
export function up(pgm: MigrationBuilder): void {
  // A DBA may have created the role already (the URL's role then needs no CREATEROLE); a concurrent
  // creation in another database of the same cluster surfaces as unique_violation.
  pgm.sql(`
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        BEGIN
          CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
      END IF;
    END $$;
    GRANT ${APP_ROLE} TO CURRENT_USER;
    GRANT USAGE ON SCHEMA public TO ${APP_ROLE};

    CREATE TABLE tenants (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      created_at timestamptz NOT NULL DEFAULT now(),
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'removed')),
      -- Filled in when the tenant's community is ingested or its Slack workspace connected.
      community text,
      -- Filled in when the tenant's org is connected (the org id).
      org text,
      removed_at timestamptz
    );

    -- Envelope encryption: one data key per tenant, stored only wrapped by the master key named by
    -- master_key_id (a fingerprint, never the key). Rotation re-wraps these rows, nothing else.
    CREATE TABLE tenant_keys (
      tenant_id bigint PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
      wrapped bytea NOT NULL,
      master_key_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      wrapped_at timestamptz NOT NULL DEFAULT now()
    );
  `);
}
