import type { MigrationBuilder } from 'node-pg-migrate';
import { TENANT_COLUMN, tenantPrivate } from '../tenant-tables';

const TABLES = `
  -- seq is the receive order (global identity); event_id is unique per tenant so a Slack retry is stored once.
  CREATE TABLE slack_inbox (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ${TENANT_COLUMN},
    event_id text NOT NULL,
    team_id text NOT NULL,
    type text NOT NULL,
    event_time bigint NOT NULL,
    received_at timestamptz NOT NULL,
    body text NOT NULL,
    applied_at timestamptz,
    UNIQUE (tenant_id, event_id)
  );
  CREATE INDEX slack_inbox_pending ON slack_inbox (tenant_id, seq) WHERE applied_at IS NULL;

  CREATE TABLE slack_inbox_unknown (
    ${TENANT_COLUMN},
    type text NOT NULL,
    count integer NOT NULL,
    last_seen_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, type)
  );

  CREATE TABLE slack_receivers (
    ${TENANT_COLUMN},
    token text NOT NULL,
    mode text NOT NULL,
    address text NOT NULL,
    pid integer NOT NULL,
    started_at timestamptz NOT NULL,
    seen_at timestamptz NOT NULL,
    stopped_at timestamptz,
    covered boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, token)
  );

  CREATE TABLE slack_channels (
    ${TENANT_COLUMN},
    community_id text NOT NULL,
    channel_id text NOT NULL,
    name text,
    kind text NOT NULL,
    watermark_ts text,
    pass_newest_ts text,
    pass_oldest_ts text,
    last_message_ms bigint,
    checked_ms bigint,
    skipped_reason text,
    PRIMARY KEY (tenant_id, community_id, channel_id)
  );

  CREATE TABLE slack_bots (
    ${TENANT_COLUMN},
    community_id text NOT NULL,
    bot_id text NOT NULL,
    user_id text NOT NULL,
    PRIMARY KEY (tenant_id, community_id, bot_id)
  );

  CREATE TABLE slack_meta (
    ${TENANT_COLUMN},
    community_id text NOT NULL,
    key text NOT NULL,
    value text,
    PRIMARY KEY (tenant_id, community_id, key)
  );

  CREATE TABLE feed_follow (
    ${TENANT_COLUMN},
    path text NOT NULL,
    "offset" bigint NOT NULL,
    line bigint NOT NULL,
    head_bytes integer NOT NULL,
    head_hash text NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, path)
  );

  CREATE TABLE live_source_state (
    ${TENANT_COLUMN},
    key text NOT NULL,
    value text NOT NULL,
    PRIMARY KEY (tenant_id, key)
  );
`;

/**
 * What the sources keep per tenant, shaped after the embedded store's source modules: the Slack
 * Events inbox and receivers (sources/slack/events), the Web API reader's cursors (sources/slack/web-api),
 * followed feed positions (sources/feed) and the live source's state (ops/live-source).
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(TABLES);
  for (const t of [
    'slack_inbox',
    'slack_inbox_unknown',
    'slack_receivers',
    'slack_channels',
    'slack_bots',
    'slack_meta',
    'feed_follow',
    'live_source_state',
  ]) {
    tenantPrivate(pgm, t);
  }
}
