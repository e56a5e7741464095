import { hostname } from 'node:os';
import type { JobWithMetadata } from 'pg-boss';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { TightknitError } from '../../sync/errors';
import { recordAudit } from '../people/db';
import { FinalFailure, type HandedBack, type RunQueue, type RunRequest } from '../queue/runs';
import {
  endAttempt,
  finishAttempt,
  finishedRunOf,
  pruneAttempts,
  setAttemptWaiting,
  startAttempt,
  type AttemptKey,
} from './attempts';
import { inTransaction } from '../db/transaction';
import { scrub } from './log';
import type { TenantPassResult, TenantPassRunner } from './runner';

export interface WorkerOptions {
  pool: Pool;
  queue: RunQueue;
  runner: TenantPassRunner;
  log: Logger;
  /** Runs this process works on at once (each of a different tenant). */
  concurrency: number;
  pollingIntervalSeconds?: number;
  /** How long a deferred large backfill waits in the queue before a worker may take it again (5 s). */
  deferSeconds?: number;
  /**
   * A large backfill's time slice: its pass stops after the Bulk job it is on once this many seconds
   * have passed, and the rest goes back to the queue behind the jobs already waiting. Default: no slice.
   */
  sliceSeconds?: number;
}

/** What is left of an error for a log line or the job table: its message, scrubbed of secrets. */
function messageOf(err: unknown): string {
  return scrub(err instanceof Error ? err.message : String(err));
}

async function tenantById(pool: Pool, id: number): Promise<{ name: string; status: string } | undefined> {
  const { rows } = await pool.query<{ name: string; status: string }>(
    'SELECT name, status FROM tenants WHERE id = $1',
    [id],
  );
  return rows[0];
}

/**
 * The org refused the tenant's connection: its scheduled runs stop until someone connects it again and
 * turns the schedule back on (`start --tenant`), as the embedded schedule stops. No run storm meanwhile.
 * The change is the worker's own, so the audit trail records it with the actor `worker` and the reason.
 */
async function pauseSchedule(pool: Pool, tenantId: number, reason: string, log: Logger): Promise<void> {
  const { rowCount } = await pool.query(
    'UPDATE tenant_schedules SET enabled = false, updated_at = now() WHERE enabled AND tenant_id = $1',
    [tenantId],
  );
  if (!rowCount) return;
  log.warn('schedule paused: the org refused the connection');
  await recordAudit(pool, { tenantId, actor: 'worker', action: 'pause', details: { reason } });
}

/**
 * Puts a job back in the queue as a new job, `seconds` from now, and completes the current one: the
 * request (with its due time) is unchanged, and the tenant's schedule points at the new job, so the
 * scheduler holds its next run back until this one has run. One transaction: both or neither.
 */
async function deferRun(
  pool: Pool,
  queue: RunQueue,
  request: RunRequest,
  jobId: string,
  seconds: number,
): Promise<string> {
  return inTransaction(pool, async (client) => {
    const id = await queue.enqueue(request, client, seconds);
    await client.query(
      'UPDATE tenant_schedules SET last_job_id = $2, updated_at = now() WHERE tenant_id = $1 AND last_job_id = $3',
      [request.tenantId, id, jobId],
    );
    return id;
  });
}

/**
 * The worker loops of one process: takes tenants' runs from the queue and calls the pass for each,
 * recording every attempt in run_attempts. `drain()` is the SIGTERM path: stop taking jobs, abort
 * the passes' signals, wait for them, and give back to the queue what did not finish.
 */
export class Worker {
  readonly name = `${hostname()}:${process.pid}`;
  private readonly drainSignal = new AbortController();
  /** Jobs this process holds now, and those its passes gave back because of the drain. */
  private readonly active = new Map<string, HandedBack>();
  private readonly handedBack = new Map<string, HandedBack>();
  /** Large backfills running in this process now; at most `concurrency − 1` (at least 1). */
  private largeRunning = 0;

  private constructor(private readonly opts: WorkerOptions) {}

  static async start(opts: WorkerOptions): Promise<Worker> {
    const worker = new Worker(opts);
    await opts.queue.work((request, job) => worker.handle(request, job), {
      concurrency: opts.concurrency,
      pollingIntervalSeconds: opts.pollingIntervalSeconds,
    });
    opts.log.info({ worker: worker.name, concurrency: opts.concurrency }, 'worker started');
    return worker;
  }

  /**
   * Stops taking jobs, aborts every running pass, waits up to `timeoutMs` for them, and hands back
   * the jobs they gave up (another worker takes them at once). Closes the queue's connections.
   */
  async drain(timeoutMs: number): Promise<{ handedBack: number }> {
    this.opts.log.info({ worker: this.name, running: this.active.size }, 'draining');
    this.drainSignal.abort(new Error('the worker is draining'));
    await this.opts.queue.drain(timeoutMs, () => this.handedBack.values());
    // A pass that ignored its signal past the wait had its job failed by pg-boss: that job is retried
    // after the retry delay, not at once, so that it cannot start elsewhere while this pass still runs.
    const stuck = [...this.active.keys()].filter((id) => !this.handedBack.has(id));
    this.opts.log.info({ worker: this.name, handedBack: this.handedBack.size, stuck: stuck.length }, 'drained');
    return { handedBack: this.handedBack.size + stuck.length };
  }

  private async handle(request: RunRequest, job: JobWithMetadata<RunRequest>): Promise<void> {
    const { pool } = this.opts;
    const tenant = await tenantById(pool, request.tenantId);
    const log = this.opts.log.child({ tenant: tenant?.name ?? null, tenantId: request.tenantId, job: job.id });
    if (!tenant || tenant.status === 'removed') {
      log.warn({ type: request.type }, 'run skipped: the tenant was removed');
      return;
    }
    const finished = await finishedRunOf(pool, job.id);
    if (finished !== undefined) {
      log.warn(
        { run: finished, attempt: job.retryCount },
        'run not repeated: an earlier attempt of this job finished it',
      );
      return;
    }
    const large = await this.takeLargeSlot(request, tenant.name, job, log);
    if (large === 'deferred') return;
    const { sliceSeconds } = this.opts;
    const sliceUntil = large && sliceSeconds !== undefined ? Date.now() + sliceSeconds * 1000 : undefined;
    try {
      await this.runJob(request, tenant.name, job, log, sliceUntil);
    } finally {
      if (large) this.largeRunning -= 1;
    }
  }

  /**
   * The fair share: a large backfill (the runner says which) takes one of `concurrency − 1` loops, so
   * at least one loop of every worker stays free for other tenants' runs. When they are all taken the
   * job goes back to the queue for a few seconds, for a worker with a free one. Returns whether it
   * took a slot, or 'deferred'.
   */
  private async takeLargeSlot(
    request: RunRequest,
    name: string,
    job: JobWithMetadata<RunRequest>,
    log: Logger,
  ): Promise<boolean | 'deferred'> {
    const { runner, concurrency, pool, queue } = this.opts;
    if (!runner.isLarge || !(await runner.isLarge({ tenant: { id: request.tenantId, name }, request, pool })))
      return false;
    if (this.largeRunning < Math.max(1, concurrency - 1)) {
      this.largeRunning += 1;
      return true;
    }
    const seconds = this.opts.deferSeconds ?? 5;
    const next = await deferRun(pool, queue, request, job.id, seconds);
    log.info(
      { type: request.type, next, seconds },
      'large backfill deferred: this worker keeps a loop for other tenants',
    );
    return 'deferred';
  }

  private async runJob(
    request: RunRequest,
    name: string,
    job: JobWithMetadata<RunRequest>,
    log: Logger,
    sliceUntil: number | undefined,
  ) {
    const { pool } = this.opts;
    const key: AttemptKey = { jobId: job.id, attempt: job.retryCount };
    await startAttempt(pool, key, request, this.name);
    this.active.set(job.id, { id: job.id, retryLimit: job.retryLimit });
    log.info({ type: request.type, attempt: job.retryCount }, 'run started');
    let result: TenantPassResult | undefined;
    let error: unknown;
    try {
      result = await this.opts.runner.run({
        tenant: { id: request.tenantId, name },
        request,
        pool,
        signal: AbortSignal.any([this.drainSignal.signal, job.signal]),
        log,
        setWaiting: (reason) => setAttemptWaiting(pool, key, reason),
        ...(sliceUntil !== undefined ? { sliceUntil } : {}),
      });
    } catch (err) {
      error = err;
    }
    try {
      await this.settle(key, job, log, result, error);
    } finally {
      this.active.delete(job.id);
      // The tenant's attempt history stays bounded; a failed prune is tried again after its next run.
      await pruneAttempts(pool, request.tenantId).catch((err: unknown) =>
        log.warn({ err: messageOf(err) }, 'run_attempts not pruned'),
      );
    }
  }

  /** Records how the attempt ended; throws (so pg-boss retries the job) unless the run completed. */
  private async settle(
    key: AttemptKey,
    job: JobWithMetadata<RunRequest>,
    log: Logger,
    result: TenantPassResult | undefined,
    error: unknown,
  ): Promise<void> {
    const { pool } = this.opts;
    if (this.drainSignal.signal.aborted && (result === undefined || result.status === 'Stopped')) {
      await endAttempt(pool, key, 'HandedBack', 'The worker was stopped (SIGTERM); another worker resumes the run.');
      this.handedBack.set(job.id, { id: job.id, retryLimit: job.retryLimit });
      log.info({ run: result?.runId }, 'run handed back');
      throw new Error('Handed back: the worker was stopped before the run finished.');
    }
    if (result === undefined) {
      const final = error instanceof TightknitError && error.exitCode >= 2;
      // A refusal that needs a person (a revoked connection, a bad request) fails for good, with its fix.
      const message = final ? scrub([error.message, ...error.actions].join(' ')) : messageOf(error);
      if (final && error.exitCode === 3) await pauseSchedule(pool, job.data.tenantId, message, log);
      await endAttempt(pool, key, 'Failed', message);
      log.error({ err: error, final }, 'run failed');
      throw final ? new FinalFailure(message) : new Error(message);
    }
    await finishAttempt(pool, key, result);
    if (result.workLeft) {
      // The slice ended between two Bulk jobs: the rest of the backfill queues behind the waiting jobs.
      const next = await deferRun(pool, this.opts.queue, job.data, job.id, 0);
      log.info({ run: result.runId, counts: result.counts, next }, 'backfill slice ended: the rest is queued');
      return;
    }
    log.info({ run: result.runId, status: result.status, counts: result.counts }, 'run finished');
    if (result.status === 'Failed' || result.status === 'Stopped') {
      throw new Error(`Run ${result.runId} ended ${result.status}; the queue retries it.`);
    }
  }
}
