import { SObjects } from '../../generated/sobjects';
import type { JobPurpose, JobRecord } from '../ledger';
import type { IngestOperation, JobInfo } from '../salesforce/bulk';
import { CsvSpool, encodeCell, type SpoolPart } from '../salesforce/csv';
import type { ObjectKind } from '../store/types';
import type { RunContext } from './context';
import { EXTERNAL_ID, LOCK, readJobResults } from './job-results';

const SOBJECT: Record<ObjectKind, string> = {
  community: SObjects.Community,
  member: SObjects.Member,
  activity: SObjects.Activity,
};
/** The column a lock-retry job is sorted by, so rows of one parent go together. */
const PARENT_COLUMN: Record<ObjectKind, string> = {
  community: EXTERNAL_ID,
  member: `tightknit__Community__r.${EXTERNAL_ID}`,
  activity: `tightknit__Member__r.${EXTERNAL_ID}`,
};
const STOPPED_BEFORE_CLOSE = 'The run stopped before this job was handed to Salesforce; its records are sent again.';

/** A Bulk job created, recorded in the ledger and uploaded, not yet closed: Salesforce leaves it alone until then. */
export interface OpenBulkJob {
  /** The ledger's job id. */
  id: number;
  sfJobId: string;
}

/**
 * Creates a Bulk job for one spooled CSV part, records its id in the ledger at once (before anything
 * else can go wrong) and uploads the file; closeBulkJob then hands it to Salesforce. An abort signal
 * does not interrupt this step: a job is always left uploaded or not created.
 */
export async function openBulkJob(
  ctx: RunContext,
  kind: ObjectKind,
  operation: IngestOperation,
  part: SpoolPart,
  purpose: JobPurpose,
  seqHi: number | null,
  runId = ctx.runId,
): Promise<OpenBulkJob> {
  const info = await ctx.bulk.createJob({
    object: SOBJECT[kind],
    operation,
    ...(operation === 'upsert' ? { externalIdFieldName: EXTERNAL_ID } : {}),
  });
  const jobId = await ctx.ledger.createJob({
    runId,
    object: kind,
    operation,
    purpose,
    path: 'bulk',
    sfJobId: info.id,
    state: 'Open',
    records: part.rows,
    bytes: part.bytes,
    seqHi,
  });
  ctx.report({ object: kind, phase: 'uploading', processed: 0, total: part.rows, bytes: part.bytes, jobId: info.id });
  await ctx.bulk.upload(info.id, part.file);
  return { id: jobId, sfJobId: info.id };
}

/** Marks an uploaded job's upload complete, from which point Salesforce works on it. Returns the ledger job id. */
async function closeBulkJob(ctx: RunContext, job: OpenBulkJob): Promise<number> {
  await ctx.bulk.close(job.sfJobId);
  await ctx.ledger.updateJob(job.id, { state: 'UploadComplete', uploadedAt: await ctx.ledger.now() });
  return job.id;
}

/**
 * Aborts a job whose upload was never completed (an earlier run's, or one a stop caught before it was
 * closed) and records that its rows are to be sent again.
 */
export async function abandonOpenJob(ctx: RunContext, job: OpenBulkJob, why: string): Promise<void> {
  try {
    await ctx.bulk.abort(job.sfJobId);
  } catch {
    // An Open job nobody closes is removed by Salesforce after 7 days; aborting is only tidiness.
  }
  await ctx.ledger.updateJob(job.id, { state: 'Aborted', resultsAt: await ctx.ledger.now(), errorMessage: why });
}

/**
 * The Bulk jobs of one object in one push. Without a hook each job is submitted as soon as its file is
 * ready and all are waited for at the end (Salesforce works on them side by side). With `ctx.bulkJob`
 * each job is uploaded while the one before runs, then handed to Salesforce inside the hook and held
 * there until Salesforce has finished it: one at a time and in order, none after a stop (an uploaded job
 * a stop catches is aborted, its rows sent again). Its results are read after the hook, while the next
 * job runs. `add` starts a job and returns, so the caller spools the next file meanwhile, and the next
 * `add` uploads it and waits for Salesforce to finish this one. The caller keeps the files until `settle`.
 */
export class ObjectJobs {
  private readonly submitted: number[] = [];
  private stopped = false;
  /** The job inside the hook, until Salesforce has finished it. */
  private locked: Promise<void> = Promise.resolve();
  /** The reading of each hooked job's results. */
  private readonly reads: Array<Promise<void>> = [];

  constructor(
    private readonly ctx: RunContext,
    private readonly kind: ObjectKind,
  ) {}

  /**
   * `open` creates and uploads one job (openBulkJob). Under a hook it does so while the job before is
   * still running, and the job is closed (handed to Salesforce) only inside the hook, once that one is
   * finished: Salesforce works on one job of the object at a time, and the upload is off that path.
   */
  async add(open: () => Promise<OpenBulkJob>): Promise<void> {
    const hook = this.ctx.bulkJob;
    if (!hook) {
      this.submitted.push(await closeBulkJob(this.ctx, await open()));
      return;
    }
    if (this.stopped || this.ctx.stopped) return;
    const job = await open();
    try {
      await this.locked;
    } catch (err) {
      await abandonOpenJob(this.ctx, job, STOPPED_BEFORE_CLOSE).catch(() => undefined);
      throw err;
    }
    // No job after a stop: neither a stopped job nor a stop signal that came while the one before ran.
    if (this.stopped || this.ctx.stopped) {
      await abandonOpenJob(this.ctx, job, STOPPED_BEFORE_CLOSE);
      return;
    }
    const done = hook(SOBJECT[this.kind], async () => awaitBulkJob(this.ctx, await closeBulkJob(this.ctx, job)));
    this.locked = done.then((d) => {
      if (d.kind === 'stopped') this.stopped = true;
    });
    const read = done.then((d) => (d.kind === 'finished' ? readBulkJob(this.ctx, d, 0, false) : undefined));
    this.reads.push(read);
    // Awaited by the next add, by finish or by settle; never an unhandled rejection meanwhile.
    for (const p of [this.locked, read]) p.catch(() => undefined);
  }

  /** Waits for the jobs under way and their results, whatever the outcome (an error is finish's to throw). */
  async settle(): Promise<void> {
    await Promise.allSettled([this.locked, ...this.reads]);
  }

  /** Waits for each job and reads its results, in order; false when the run was stopped. */
  async finish(): Promise<boolean> {
    await this.locked;
    for (const read of this.reads) await read;
    for (const jobId of this.submitted) {
      const outcome = await finishBulkJob(this.ctx, this.kind, jobId);
      if (outcome.kind === 'stopped') return false;
    }
    return !this.stopped;
  }
}

/** `fn` inside the push's Bulk hook for `kind`'s sObject, when one is given. */
function inHook<T>(ctx: RunContext, kind: ObjectKind, fn: () => Promise<T>): Promise<T> {
  return ctx.bulkJob ? ctx.bulkJob(SOBJECT[kind], fn) : fn();
}

/** What reading a job's results produced. */
export interface JobOutcome {
  kind: 'done' | 'stopped';
}

/** A recorded job Salesforce has finished (its end recorded), or a wait a stop signal ended. */
type JobEnd = { kind: 'finished'; job: JobRecord; info: JobInfo } | { kind: 'stopped' };

/**
 * Waits for a recorded Bulk job of `kind` (inside the hook, when one is given) and reads its results into
 * the ledger after it (readBulkJob); also how a run finishes a job an earlier run left open (resume.ts).
 * A stop signal while waiting leaves the job to be resumed by the next run. `locked`: the caller holds
 * the hook already (a lock-retry job), so neither the wait nor follow-ups take it again.
 */
export async function finishBulkJob(
  ctx: RunContext,
  kind: ObjectKind,
  ledgerJobId: number,
  lockAttempt = 0,
  locked = false,
): Promise<JobOutcome> {
  const wait = (): Promise<JobEnd> => awaitBulkJob(ctx, ledgerJobId);
  const done = await (locked ? wait() : inHook(ctx, kind, wait));
  if (done.kind === 'stopped') return done;
  await readBulkJob(ctx, done, lockAttempt, locked);
  return { kind: 'done' };
}

/** Waits until Salesforce has finished a recorded job and records how it ended: the part of a job that needs the org's Bulk lock. */
async function awaitBulkJob(ctx: RunContext, ledgerJobId: number): Promise<JobEnd> {
  const job = await ctx.ledger.job(ledgerJobId);
  if (!job?.sfJobId) throw new Error(`Ledger job ${ledgerJobId} has no Salesforce job id`);
  const kind = job.object;
  ctx.report({ object: kind, phase: 'processing', processed: 0, total: job.records, jobId: job.sfJobId });
  const waited = await ctx.bulk.waitForJob(job.sfJobId, {
    signal: ctx.signal,
    expectedRecords: job.records,
    onPoll: (info) =>
      ctx.report({
        object: kind,
        phase: 'processing',
        processed: info.numberRecordsProcessed ?? 0,
        total: job.records,
        jobId: job.sfJobId ?? undefined,
      }),
  });
  if (waited.kind === 'stopped') {
    await ctx.ledger.updateJob(ledgerJobId, { polls: job.polls + waited.polls });
    return { kind: 'stopped' };
  }
  const info = waited.info;
  await ctx.ledger.updateJob(ledgerJobId, {
    state: info.state,
    polls: job.polls + waited.polls,
    processed: info.numberRecordsProcessed ?? null,
    failed: info.numberRecordsFailed ?? null,
    errorMessage: info.errorMessage ?? null,
    finishedAt: await ctx.ledger.now(),
  });
  return { kind: 'finished', job, info };
}

/**
 * Reads a finished job's successful, failed and unprocessed results (streamed, matched on the external id
 * column, never by position) into the ledger, marks them read, and sends UNABLE_TO_LOCK_ROW rows again in
 * follow-up jobs (inside the hook, unless `locked` says the caller holds it). Counts go to the run that
 * owns the job.
 */
async function readBulkJob(
  ctx: RunContext,
  done: Extract<JobEnd, { kind: 'finished' }>,
  lockAttempt: number,
  locked: boolean,
): Promise<void> {
  const { job, info } = done;
  const kind = job.object;
  ctx.report({ object: kind, phase: 'results', processed: 0, total: job.records, jobId: info.id });
  const lockRows = await readJobResults(
    ctx,
    job.runId,
    job.id,
    kind,
    job.operation,
    info,
    lockAttempt < ctx.tuning.lockRetries,
  );
  await ctx.ledger.updateJob(job.id, { resultsAt: await ctx.ledger.now() });
  if (lockRows.length === 0) return;
  const retry = (): Promise<void> => retryLockedRows(ctx, job.runId, kind, lockRows, lockAttempt + 1);
  await (locked ? retry() : inHook(ctx, kind, retry));
}

/**
 * Sends rows that failed with UNABLE_TO_LOCK_ROW again in a new job, sorted by parent so that rows of
 * one parent are processed together. Rows that now succeed leave the run's failures.
 */
async function retryLockedRows(
  ctx: RunContext,
  runId: number,
  kind: ObjectKind,
  rows: Array<Record<string, string>>,
  attempt: number,
): Promise<void> {
  const parent = PARENT_COLUMN[kind];
  rows.sort((a, b) => (a[parent] ?? '').localeCompare(b[parent] ?? ''));
  const header = Object.keys(rows[0]).filter((h) => !h.startsWith('sf__'));
  const ids = rows.map((r) => r[EXTERNAL_ID]);
  const parts: SpoolPart[] = [];
  const spool = new CsvSpool(header, { maxBytes: ctx.tuning.maxJobBytes, maxRows: ctx.tuning.maxJobRows }, (p) =>
    parts.push(p),
  );
  try {
    for (const r of rows) spool.add(`${header.map((h) => encodeRaw(r[h] ?? '')).join(',')}\n`);
    spool.finish();
    const jobIds: number[] = [];
    for (const part of parts)
      jobIds.push(await closeBulkJob(ctx, await openBulkJob(ctx, kind, 'upsert', part, 'lock-retry', null, runId)));
    // Only now that the follow-up jobs are recorded do the lock failures give way to what those jobs say.
    await ctx.ledger.clearFailures(runId, kind, ids, LOCK);
    await ctx.ledger.addCounts(runId, kind, { processed: -rows.length, failed: -rows.length });
    for (const jobId of jobIds) {
      const outcome = await finishBulkJob(ctx, kind, jobId, attempt, true);
      if (outcome.kind === 'stopped') return;
    }
  } finally {
    spool.dispose();
  }
}

/** Result files echo the cells as sent (`#N/A` included): re-encode them as they are. */
function encodeRaw(value: string): string {
  return value === '' ? '' : encodeCell(value);
}
