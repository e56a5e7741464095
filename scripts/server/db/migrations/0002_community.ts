import type { MigrationBuilder } from 'node-pg-migrate';
import { TENANT_COLUMN, TENANT_SETTING, tenantPrivate } from '../tenant-tables';

const TABLES = `
  -- Per-tenant change sequence. next_change_seq locks the tenant's row until the writing transaction
  -- ends, so within a tenant sequence numbers become visible in commit order and a reader's watermark
  -- never skips a row that commits later. Rolled-back allocations leave gaps: readers must tolerate them.
  CREATE TABLE tenant_sequences (
    ${TENANT_COLUMN} PRIMARY KEY,
    last_seq bigint NOT NULL
  );

  CREATE FUNCTION next_change_seq(n integer DEFAULT 1) RETURNS bigint
  LANGUAGE sql VOLATILE AS $$
    INSERT INTO tenant_sequences AS s (tenant_id, last_seq)
    VALUES (NULLIF(current_setting('${TENANT_SETTING}', true), '')::bigint, n)
    ON CONFLICT (tenant_id) DO UPDATE SET last_seq = s.last_seq + n
    RETURNING last_seq
  $$;

  CREATE TABLE communities (
    ${TENANT_COLUMN},
    id text NOT NULL,
    seq bigint NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    name text NOT NULL,
    platform text NOT NULL,
    slack_team_id text,
    slack_domain text,
    slack_url text,
    logo_url text,
    studio_url text,
    description text,
    member_count integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id)
  );
  CREATE UNIQUE INDEX communities_seq ON communities (tenant_id, seq);

  CREATE TABLE members (
    ${TENANT_COLUMN},
    id text NOT NULL,
    seq bigint NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    community_id text NOT NULL,
    name text NOT NULL,
    email text,
    first_name text,
    last_name text,
    title text,
    slack_user_id text,
    avatar_url text,
    time_zone text,
    status text NOT NULL,
    is_bot boolean NOT NULL DEFAULT false,
    joined_at text,
    profile_url text,
    is_placeholder boolean NOT NULL DEFAULT false,
    last_active_at text,
    activity_count integer NOT NULL DEFAULT 0,
    engagement_score double precision NOT NULL DEFAULT 0,
    engagement_level text NOT NULL DEFAULT 'None',
    PRIMARY KEY (tenant_id, id)
  );
  CREATE UNIQUE INDEX members_seq ON members (tenant_id, seq);
  CREATE INDEX members_community ON members (tenant_id, community_id);

  -- Times stay the text the source gave (as in the embedded store); occurred_ms orders them.
  CREATE TABLE activities (
    ${TENANT_COLUMN},
    id text NOT NULL,
    seq bigint NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    community_id text NOT NULL,
    member_id text NOT NULL,
    target_member_id text,
    activity_type text NOT NULL,
    source_type text NOT NULL,
    occurred_at text NOT NULL,
    occurred_ms bigint NOT NULL,
    channel_id text,
    channel_name text,
    thread_id text,
    permalink text,
    summary text NOT NULL,
    metadata text,
    PRIMARY KEY (tenant_id, id)
  );
  CREATE UNIQUE INDEX activities_seq ON activities (tenant_id, seq);

  CREATE TABLE source_files (
    ${TENANT_COLUMN},
    community_id text NOT NULL,
    path text NOT NULL,
    fingerprint text NOT NULL,
    activities integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, community_id, path)
  );

  -- The tenant's configuration (what config.json holds in a state directory), one JSON value per key.
  CREATE TABLE tenant_settings (
    ${TENANT_COLUMN},
    key text NOT NULL,
    value jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
  );

  -- Tokens and client secrets, AES-256-GCM under the tenant's data key (see tenant_keys).
  CREATE TABLE tenant_secrets (
    ${TENANT_COLUMN},
    name text NOT NULL,
    iv bytea NOT NULL,
    tag bytea NOT NULL,
    data bytea NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
  );
`;

/**
 * The community data of every tenant, shaped after the embedded store's tables (scripts/sync/store):
 * communities, members, activities and source-file fingerprints, each keyed by (tenant_id, id), plus
 * each tenant's change sequence, settings and sealed secrets.
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(TABLES);
  for (const t of [
    'tenant_sequences',
    'communities',
    'members',
    'activities',
    'source_files',
    'tenant_settings',
    'tenant_secrets',
  ]) {
    tenantPrivate(pgm, t);
  }
}
