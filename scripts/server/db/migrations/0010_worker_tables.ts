import type { MigrationBuilder } from 'node-pg-migrate';

/**
 * The workers' operator tables: each tenant's schedule and one row per attempt at a queued run. Like
 * the tenant registry they span tenants (the scheduler picks due tenants, /metrics counts runs), so
 * they are not tenant-private and the application role gets no privilege on them. They hold ids,
 * times, statuses and counts only: never a token, never community data.
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    -- A due tenant is picked with FOR UPDATE SKIP LOCKED, so every process can run the scheduler.
    CREATE TABLE tenant_schedules (
      tenant_id bigint PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
      enabled boolean NOT NULL DEFAULT false,
      interval_minutes integer NOT NULL DEFAULT 5 CHECK (interval_minutes BETWEEN 1 AND 1440),
      next_due_at timestamptz NOT NULL DEFAULT now(),
      -- The pg-boss job the scheduler queued last: no second one is queued while it is unfinished.
      last_job_id uuid,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX tenant_schedules_due ON tenant_schedules (next_due_at) WHERE enabled;

    -- status: Running, then the run's own status (Succeeded, PartiallyFailed, Failed, Stopped) or
    -- HandedBack (a draining worker gave the job back). waiting: why a running pass is waiting, if it is.
    CREATE TABLE run_attempts (
      job_id uuid NOT NULL,
      attempt integer NOT NULL,
      tenant_id bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      type text NOT NULL,
      due_at timestamptz,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      status text NOT NULL,
      waiting text,
      run_id bigint,
      records_pushed bigint NOT NULL DEFAULT 0,
      message text,
      worker text NOT NULL,
      PRIMARY KEY (job_id, attempt)
    );
    CREATE INDEX run_attempts_tenant ON run_attempts (tenant_id, started_at DESC);
  `);
}
