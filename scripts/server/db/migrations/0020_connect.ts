import type { MigrationBuilder } from 'node-pg-migrate';
import { TENANT_COLUMN, TENANT_SETTING, tenantPrivate } from '../tenant-tables';

/**
 * Connecting a tenant from the server (scripts/server/connect): the Slack workspace bound to each
 * tenant, unique so one workspace's events go to one tenant only, and the sign-ins in progress, so each
 * `state` handed to Slack or Salesforce is honoured once, before it expires.
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    ALTER TABLE tenants ADD COLUMN slack_team_id text, ADD COLUMN slack_team_name text;
    -- NULLs are distinct: any number of tenants may have no workspace yet.
    CREATE UNIQUE INDEX tenants_slack_team_id ON tenants (slack_team_id);

    -- One row per started sign-in. The PKCE verifier is sealed with the tenant's data key like any secret.
    CREATE TABLE connect_flows (
      ${TENANT_COLUMN},
      id text PRIMARY KEY,
      provider text NOT NULL CHECK (provider IN ('slack', 'salesforce')),
      session_hash text,
      login_url text,
      verifier_iv bytea,
      verifier_tag bytea,
      verifier bytea,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    );
    ALTER TABLE connect_flows ALTER COLUMN tenant_id SET DEFAULT NULLIF(current_setting('${TENANT_SETTING}', true), '')::bigint;
  `);
  tenantPrivate(pgm, 'connect_flows');
}
