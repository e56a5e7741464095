import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { ObjectCounts, RunStatus } from '../../sync/ledger';
import type { ObjectKind } from '../../sync/store/types';
import type { RunRequest } from '../queue/runs';

/** What a worker hands the pass of one tenant. */
export interface TenantPassInput {
  tenant: { id: number; name: string };
  request: RunRequest;
  /**
   * The worker's pool: the pass opens the tenant's store on it (`PgStore.open(pool, tenant.id, …)`),
   * which scopes every statement to the tenant.
   */
  pool: Pool;
  /**
   * Aborted when the worker drains (SIGTERM) or loses the job's claim: stop at the next safe point
   * (after a Bulk job's results are recorded, never half-way through recording them) and return
   * `Stopped` or throw. The job goes back to the queue and resumes from the ledger elsewhere.
   */
  signal: AbortSignal;
  /** JSON lines carrying the tenant and job ids; add `run` once the run has an id. */
  log: Logger;
  /** Why the pass waits right now (e.g. `Waiting: API budget`), or null once it goes on. */
  setWaiting(reason: string | null): Promise<void>;
  /**
   * A large backfill's time slice ends then (ms since the epoch): its push stops after the Bulk job it is
   * on and the pass returns `workLeft`; the worker queues the rest. Undefined: the pass goes to the end.
   */
  sliceUntil?: number;
}

/** What the pass reports: the ledger run it recorded, its status and its per-object counts. */
export interface TenantPassResult {
  runId: number;
  status: RunStatus;
  counts: Partial<Record<ObjectKind, ObjectCounts>>;
  /** The pass's time slice ended with records left (status Stopped): the next backfill run continues it. */
  workLeft?: boolean;
}

/**
 * One tenant's sync pass, as the workers call it. The production implementation is the core's pass
 * on the tenant's PgStore (see production-runner.ts); tests give their own.
 */
export interface TenantPassRunner {
  run(input: TenantPassInput): Promise<TenantPassResult>;
  /**
   * Whether the job would be a large backfill (optional; none is, without it). A worker runs such
   * passes on at most concurrency − 1 of its loops at once, so large backfills cannot hold every loop
   * while small tenants' runs wait (the fair share, docs/server.md).
   */
  isLarge?(input: Pick<TenantPassInput, 'tenant' | 'request' | 'pool'>): Promise<boolean>;
}
