import { PgBoss, type JobResult, type JobWithMetadata, type WorkOptions as BossWorkOptions } from 'pg-boss';
import type { Pool, PoolClient } from 'pg';
import type { RunType } from '../../sync/ledger';
import { UsageError } from '../../sync/errors';
import { connectionError } from '../db/connect';

/** The queue every tenant's runs go through: at most one active job per tenant, on any worker. */
export const RUN_QUEUE = 'tenant-runs';
/** Where a run lands after its retries are spent (the console shows it as dead-lettered). */
export const DEAD_RUN_QUEUE = 'tenant-runs-dead';
/** pg-boss keeps its tables in a schema of its own, migrated by pg-boss under its own lock. */
export const BOSS_SCHEMA = 'pgboss';

/** What a job carries: ids and a run type, never a token or a secret (job tables are readable to operators). */
export interface RunRequest {
  tenantId: number;
  type: Exclude<RunType, 'rescore'>;
  /** For a retry: the run whose failed records it re-pushes. */
  retryOf?: number;
  /** For a scheduled run: when it was due (ISO time), so its start lag can be measured. */
  dueAt?: string;
}

const RUN_TYPES: ReadonlyArray<RunRequest['type']> = ['backfill', 'incremental', 'retry', 'rematch'];

/** Tuning that tests shorten; production keeps the defaults. */
export interface RunQueueOptions {
  /** A worker that stops heartbeating this long is presumed dead and its run is retried. Integer ≥ 10. */
  heartbeatSeconds?: number;
  /** How often pg-boss looks for dead workers' jobs and due schedules. */
  superviseIntervalSeconds?: number;
  /** The first retry's delay; later retries back off exponentially up to 15 minutes. */
  retryDelaySeconds?: number;
}

/**
 * How often a worker loop asks for a job, also right after it finished one: pg-boss waits out the rest of
 * the interval after each job, so a loop runs at most one job per interval however short the jobs are.
 * At pg-boss's 2 s, 2 workers × 2 loops ran 2 passes a second, and 200 tenants due together waited up to
 * 98 s for their start (bench:tenants at full size, 2026-12-06); 0.5 s is pg-boss's least.
 */
const POLL_SECONDS = 0.5;

export interface WorkOptions {
  /** Runs this process works on at once (each of a different tenant). */
  concurrency: number;
  /** How often a worker loop asks for a job (default POLL_SECONDS). */
  pollingIntervalSeconds?: number;
}

/** The request's own fields only: anything else a caller passed never reaches the job table. */
function checkRequest(data: unknown): RunRequest {
  const r = data as Partial<RunRequest> | null;
  const type = r?.type as RunRequest['type'];
  const { retryOf, dueAt } = r ?? {};
  if (
    !r ||
    !Number.isInteger(r.tenantId) ||
    !RUN_TYPES.includes(type) ||
    (retryOf !== undefined && !Number.isInteger(retryOf)) ||
    (dueAt !== undefined && Number.isNaN(Date.parse(dueAt)))
  ) {
    throw new Error(`Not a run request (tenantId, type${retryOf === undefined ? '' : ', retryOf'} expected)`);
  }
  return {
    tenantId: r.tenantId as number,
    type,
    ...(retryOf === undefined ? {} : { retryOf }),
    ...(dueAt === undefined ? {} : { dueAt: new Date(dueAt).toISOString() }),
  };
}

/** A failure no retry can mend (the org refused the connection, a bad request): the job is dead-lettered at once. */
export class FinalFailure extends Error {}

/** A job a draining worker gave back: made runnable at once, its attempt not counted as a failure. */
export interface HandedBack {
  id: string;
  retryLimit: number;
}

/** pg-boss's statements on a caller's connection, so a job is queued in the caller's transaction. */
function onClient(client: PoolClient): {
  executeSql: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;
} {
  return { executeSql: (text, values) => client.query(text, values) };
}

/**
 * Tenants' runs on pg-boss. The queue's `singleton` policy with the tenant id as singleton key lets
 * one job per tenant be active at a time across every worker process; more wait queued. A worker that
 * dies stops heartbeating and its job is retried elsewhere, with backoff, then dead-lettered.
 */
export class RunQueue {
  private constructor(private readonly boss: PgBoss) {}

  /** Connects, installs or upgrades pg-boss's schema, and creates the queues if missing. */
  static async open(url: string, opts: RunQueueOptions = {}): Promise<RunQueue> {
    const boss = new PgBoss({
      connectionString: url,
      schema: BOSS_SCHEMA,
      ...(opts.superviseIntervalSeconds === undefined
        ? {}
        : {
            superviseIntervalSeconds: opts.superviseIntervalSeconds,
            monitorIntervalSeconds: opts.superviseIntervalSeconds,
          }),
    });
    // pg-boss reports background errors as events; without a listener an EventEmitter would throw them.
    boss.on('error', () => undefined);
    try {
      await boss.start();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code && /^(E[A-Z]+|28|3D)/.test(code)) throw connectionError(url, err);
      throw err;
    }
    const settings = {
      heartbeatSeconds: opts.heartbeatSeconds ?? 30,
      // A backfill can take hours; liveness comes from the heartbeat, not from this limit.
      expireInSeconds: 6 * 3600,
      retryLimit: 5,
      retryDelay: opts.retryDelaySeconds ?? 30,
      retryBackoff: true,
      retryDelayMax: 900,
      deadLetter: DEAD_RUN_QUEUE,
    };
    await boss.createQueue(DEAD_RUN_QUEUE);
    await boss.createQueue(RUN_QUEUE, { policy: 'singleton', ...settings });
    // createQueue leaves an existing queue as it was: bring its settings to this release's.
    await boss.updateQueue(RUN_QUEUE, settings);
    return new RunQueue(boss);
  }

  /**
   * Queues a run; it starts once no other run of the same tenant is active, and not before `startAfter`
   * when given: a number of seconds from now by the database's clock, or a time. Returns the job id.
   */
  async enqueue(request: RunRequest, client?: PoolClient, startAfter?: number | Date): Promise<string> {
    const r = checkRequest(request);
    const id = await this.boss.send(RUN_QUEUE, r, {
      singletonKey: String(r.tenantId),
      ...(startAfter ? { startAfter } : {}),
      ...(client ? { db: onClient(client) } : {}),
    });
    if (!id) throw new UsageError('RUN_NOT_QUEUED', `The run of tenant ${r.tenantId} was not queued. Try again.`);
    return id;
  }

  /** Whether job `id` is queued, waiting for a retry, or running (read on the caller's connection). */
  async unfinished(id: string, client: PoolClient): Promise<boolean> {
    const [job] = await this.boss.findJobs(RUN_QUEUE, { id, db: onClient(client) });
    return job !== undefined && ['created', 'retry', 'active'].includes(job.state);
  }

  /**
   * Works runs in this process until `stop()`. A handler that throws fails the attempt (retried later);
   * one that throws a FinalFailure fails the job for good (dead-lettered at once, no retry).
   */
  async work(
    handler: (request: RunRequest, job: JobWithMetadata<RunRequest>) => Promise<void>,
    opts: WorkOptions,
  ): Promise<void> {
    await this.boss.work<RunRequest, unknown, BossWorkOptions & { includeMetadata: true; perJobResults: true }>(
      RUN_QUEUE,
      {
        localConcurrency: opts.concurrency,
        pollingIntervalSeconds: opts.pollingIntervalSeconds ?? POLL_SECONDS,
        includeMetadata: true,
        perJobResults: true,
      },
      async (jobs) => {
        const results: JobResult[] = [];
        for (const job of jobs) {
          try {
            await handler(checkRequest(job.data), job);
            results.push({ id: job.id, status: 'completed' });
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            results.push({
              id: job.id,
              status: err instanceof FinalFailure ? 'deadletter' : 'failed',
              output: { message },
            });
          }
        }
        return results;
      },
    );
  }

  /**
   * The drain: stops fetching and waits up to `timeoutMs` for the active handlers (whose runners the
   * caller has told to stop); pg-boss fails any still running then. The jobs `handedBack()` names
   * (failed by their handlers because of the drain) are then made runnable at once for another
   * worker, with one more retry allowed so a drain does not use one up. Closes the connections.
   */
  async drain(timeoutMs: number, handedBack: () => Iterable<HandedBack>): Promise<void> {
    try {
      await this.boss.stop({ graceful: true, timeout: timeoutMs, close: false });
      for (const job of handedBack()) {
        await this.boss.update(RUN_QUEUE, undefined, {
          id: job.id,
          startAfter: new Date(),
          retryLimit: job.retryLimit + 1,
        });
      }
    } finally {
      await this.boss.stop({ close: true });
    }
  }

  /** Stops fetching, lets active runs finish within `timeoutMs`, then closes the connections. */
  async stop(timeoutMs = 30_000): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }
}

/** Jobs of the run queue by state (created, retry, active, ...) and dead-lettered ones, read now. */
export async function queueDepth(pool: Pool): Promise<{ state: string; jobs: number }[]> {
  const { rows } = await pool.query<{ state: string; jobs: number }>(
    `SELECT CASE WHEN name = $2 THEN 'dead' ELSE state::text END AS state, count(*)::int AS jobs
       FROM ${BOSS_SCHEMA}.job WHERE name IN ($1, $2) AND state NOT IN ('completed', 'cancelled')
      GROUP BY 1`,
    [RUN_QUEUE, DEAD_RUN_QUEUE],
  );
  return rows;
}
