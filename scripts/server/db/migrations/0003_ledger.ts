import type { MigrationBuilder } from 'node-pg-migrate';
import { TENANT_COLUMN, tenantPrivate } from '../tenant-tables';

const TABLES = `
  CREATE TABLE ledger_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ${TENANT_COLUMN},
    type text NOT NULL,
    status text NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    message text,
    api_calls integer NOT NULL DEFAULT 0,
    retry_of bigint
  );
  CREATE INDEX ledger_runs_tenant ON ledger_runs (tenant_id, id DESC);

  CREATE TABLE ledger_run_objects (
    ${TENANT_COLUMN},
    run_id bigint NOT NULL REFERENCES ledger_runs (id) ON DELETE CASCADE,
    object text NOT NULL,
    processed integer NOT NULL DEFAULT 0,
    succeeded integer NOT NULL DEFAULT 0,
    failed integer NOT NULL DEFAULT 0,
    held_back integer NOT NULL DEFAULT 0,
    deleted integer NOT NULL DEFAULT 0,
    truncated integer NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, object)
  );

  -- One Bulk API job (path 'bulk', sf_job_id set) or one sObject Collections call (path 'collections').
  CREATE TABLE ledger_jobs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ${TENANT_COLUMN},
    run_id bigint NOT NULL REFERENCES ledger_runs (id) ON DELETE CASCADE,
    object text NOT NULL,
    operation text NOT NULL,
    purpose text NOT NULL,
    path text NOT NULL,
    sf_job_id text,
    state text NOT NULL,
    records integer NOT NULL DEFAULT 0,
    bytes bigint NOT NULL DEFAULT 0,
    processed integer,
    failed integer,
    seq_hi bigint,
    polls integer NOT NULL DEFAULT 0,
    error_message text,
    created_at timestamptz NOT NULL,
    uploaded_at timestamptz,
    finished_at timestamptz,
    results_at timestamptz
  );
  CREATE INDEX ledger_jobs_run ON ledger_jobs (run_id);
  CREATE INDEX ledger_jobs_open ON ledger_jobs (tenant_id) WHERE results_at IS NULL;

  CREATE TABLE ledger_failed (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ${TENANT_COLUMN},
    run_id bigint NOT NULL,
    job_id bigint,
    object text NOT NULL,
    external_id text NOT NULL,
    code text NOT NULL,
    error text NOT NULL,
    resolved_run_id bigint
  );
  CREATE INDEX ledger_failed_run ON ledger_failed (run_id, code);
  CREATE INDEX ledger_failed_open ON ledger_failed (tenant_id, object, external_id) WHERE resolved_run_id IS NULL;

  CREATE TABLE ledger_pending (
    ${TENANT_COLUMN},
    object text NOT NULL,
    external_id text NOT NULL,
    run_id bigint NOT NULL,
    first_run_id bigint NOT NULL,
    reason text NOT NULL,
    waiting_on text,
    PRIMARY KEY (tenant_id, object, external_id)
  );

  CREATE TABLE ledger_watermarks (
    ${TENANT_COLUMN},
    object text NOT NULL,
    seq bigint NOT NULL,
    run_id bigint,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, object)
  );

  CREATE TABLE ledger_records (
    ${TENANT_COLUMN},
    object text NOT NULL,
    external_id text NOT NULL,
    sf_id text NOT NULL,
    run_id bigint NOT NULL,
    PRIMARY KEY (tenant_id, object, external_id)
  );

  CREATE TABLE ledger_deletes (
    ${TENANT_COLUMN},
    object text NOT NULL,
    sf_id text NOT NULL,
    external_id text NOT NULL,
    run_id bigint NOT NULL,
    PRIMARY KEY (tenant_id, object, sf_id)
  );

  CREATE TABLE ledger_contact_links (
    ${TENANT_COLUMN},
    member_id text NOT NULL,
    match_value text,
    status text,
    contact_id text,
    lead_id text,
    created_contact_id text,
    intent_run_id bigint,
    run_id bigint,
    rule text,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, member_id)
  );
  CREATE INDEX ledger_links_value ON ledger_contact_links (tenant_id, match_value);
  CREATE INDEX ledger_links_contact ON ledger_contact_links (tenant_id, contact_id) WHERE contact_id IS NOT NULL;
  CREATE INDEX ledger_links_lead ON ledger_contact_links (tenant_id, lead_id) WHERE lead_id IS NOT NULL;

  CREATE TABLE ledger_match_waiting (
    ${TENANT_COLUMN},
    member_id text NOT NULL,
    run_id bigint NOT NULL,
    reason text NOT NULL,
    PRIMARY KEY (tenant_id, member_id)
  );

  CREATE TABLE ledger_match_watermarks (
    ${TENANT_COLUMN},
    object text NOT NULL,
    stamp text NOT NULL,
    run_id bigint,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, object)
  );

  CREATE TABLE ledger_match_seen (
    ${TENANT_COLUMN},
    object text NOT NULL,
    id text NOT NULL,
    stamp text NOT NULL,
    PRIMARY KEY (tenant_id, object, id)
  );

  CREATE TABLE ledger_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ${TENANT_COLUMN},
    at timestamptz NOT NULL,
    type text NOT NULL,
    code text,
    message text NOT NULL,
    run_id bigint
  );
  CREATE INDEX ledger_events_tenant ON ledger_events (tenant_id, id DESC);
`;

/**
 * The sync history ("ledger") of every tenant, shaped after the embedded ledger (scripts/sync/ledger):
 * runs, Bulk jobs, failed and held-back records, watermarks, pushed records, Contact links, events.
 * Run and job ids are global identities (unique across tenants, so a URL or a log line names one run).
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(TABLES);
  for (const t of LEDGER_TABLES) tenantPrivate(pgm, t);
}

const LEDGER_TABLES = [
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
];
