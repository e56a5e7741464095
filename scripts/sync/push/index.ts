import type { SyncConfig } from '../config';
import { TightknitError } from '../errors';
import { OBJECT_KINDS, type ObjectCounts, type RunStatus, type RunType } from '../ledger';
import { getRun } from '../history';
import { RequestLimitError } from '../salesforce/errors';
import type { SalesforceHttp, SalesforceSession } from '../salesforce/http';
import type { AsyncStore } from '../store';
import type { ObjectKind } from '../store/types';
import { pushTuning, RunContext, type BulkJobHook, type PushProgress, type PushTuning } from './context';
import { pushObject, type PushOutcome } from './objects';
import { touchCommunities } from './send';
import { refreshLinks, startChangeTracking } from './refresh-links';
import { resumeUnfinished } from './resume';
import { startSlice } from './slices';

export type { BulkJobHook, PushProgress, PushTuning } from './context';
export { SERIAL_JOB_ROWS } from './context';

export interface RunSummary {
  runId: number;
  type: RunType;
  status: 'Succeeded' | 'Failed' | 'PartiallyFailed' | 'Stopped';
  startedAt: string;
  finishedAt: string;
  objects: Record<ObjectKind, ObjectCounts>;
  apiCalls: number;
  message?: string;
  /** A backfill whose time slice ended (status Stopped) with records left: the next backfill run continues it. */
  workLeft?: true;
}

const SUMMARY = Symbol('runSummary');

/**
 * The summary of the run a refusal ended (REQUEST_LIMIT_EXCEEDED, expired authorization, bad matching
 * field). runSync rethrows the original error (so `instanceof OrgRefusedError` and `code` still decide
 * the exit code) with the recorded run attached.
 */
export function summaryOf(err: unknown): RunSummary | undefined {
  return err && typeof err === 'object' ? (err as { [SUMMARY]?: RunSummary })[SUMMARY] : undefined;
}

interface CommonOptions {
  store: AsyncStore;
  /** The org: the one Salesforce client (push makes its own over the same session) or a session. */
  connection: SalesforceSession | SalesforceHttp;
  config: SyncConfig;
  onProgress?: (p: PushProgress) => void;
  signal?: AbortSignal;
  now?: Date;
  /** Test and benchmark knobs (poll backoff, job size, Collections threshold). */
  tuning?: Partial<PushTuning>;
  /**
   * Given, Salesforce's part of each Bulk ingest job (from the completion of its upload to its end) runs
   * inside it, so an object's jobs go one after another (files of SERIAL_JOB_ROWS rows); server mode passes
   * its per-org Bulk lock. Default: none, and the jobs of an object run side by side as before.
   */
  bulkJob?: BulkJobHook;
}

export interface RunSyncOptions extends CommonOptions {
  /** A retry has its own entry, retryRun: it pushes the failed records of a run, not changes. */
  type: Exclude<RunType, 'retry'>;
  /**
   * A backfill only (server mode's large ones): the end of its time slice, ms since the epoch. Past it the
   * push stops after the Bulk job it is on (never inside one) and the run ends Stopped with `workLeft`;
   * the next backfill run continues from where the jobs got to (slices.ts). Default: no slice.
   */
  sliceUntil?: number;
}

export interface RetryRunOptions extends CommonOptions {
  runId: number;
}

/**
 * One push of the store into the org, in order Communities → Members (with Contact matching) → Activities.
 * Backfill sends the whole store; incremental the changes since each object's watermark (plus held-back
 * records whose parent now exists); rescore recomputes engagement and sends the members whose score or
 * level changed. Work an earlier run left unfinished (Bulk jobs still running) is resumed first.
 * Throws (after recording the run) when the org refuses: REQUEST_LIMIT_EXCEEDED, expired authorization.
 */
export async function runSync(opts: RunSyncOptions): Promise<RunSummary> {
  return execute(opts, opts.type, null, async (ctx) => {
    if (opts.type === 'rematch') {
      await startChangeTracking(ctx);
      await ctx.matchLedger.allMembersWait(ctx.runId, 'rematch');
      return refreshLinks(ctx);
    }
    if (opts.type === 'rescore') await opts.store.rescore(ctx.now, opts.config.engagement);
    else await startChangeTracking(ctx);
    const slice = opts.type === 'backfill' && opts.sliceUntil !== undefined ? await startSlice(ctx) : undefined;
    if (slice) ctx.sliceUntil = opts.sliceUntil;
    if (slice?.continues !== undefined) ctx.note = `Continues backfill run ${slice.continues}.`;
    const toSeq = await opts.store.maxSeq();
    const kinds: ObjectKind[] = opts.type === 'rescore' ? ['member'] : [...OBJECT_KINDS];
    for (const kind of kinds) {
      if (ctx.sliceOver()) return 'sliced';
      const fromSeq = opts.type === 'backfill' ? (slice?.cursor[kind] ?? 0) : await ctx.ledger.watermark(kind);
      const outcome = await pushObject(ctx, kind, { mode: 'changed', fromSeq, toSeq });
      if (outcome === 'stopped' || ctx.stopped) return 'stopped';
      if (outcome === 'sliced') return 'sliced';
      // After the members' own changes: the links that changed on the CRM side (not part of a rescore).
      if (kind === 'member' && opts.type !== 'rescore' && (await refreshLinks(ctx)) === 'stopped') return 'stopped';
    }
    return 'done';
  });
}

/**
 * Sends again exactly the records of run `runId` that failed and are not fixed yet, and the ones it
 * held back that are still waiting, in object order. Upserts on the external id make it safe to run twice.
 */
export async function retryRun(opts: RetryRunOptions): Promise<RunSummary> {
  await getRun(opts.store, opts.runId); // RUN_NOT_FOUND before anything is recorded
  return execute(opts, 'retry', opts.runId, async (ctx) => {
    await startChangeTracking(ctx);
    const failed = await ctx.ledger.failedOfRun(opts.runId, true);
    const pending = await ctx.ledger.pendingOfRun(opts.runId);
    for (const kind of OBJECT_KINDS) {
      const ids = new Set<string>();
      for (const f of failed) {
        if (f.object === kind || (kind === 'member' && f.object === 'contact')) ids.add(f.externalId);
      }
      for (const p of pending) if (p.object === kind) ids.add(p.externalId);
      if (ids.size === 0) continue;
      const outcome: PushOutcome = await pushObject(ctx, kind, { mode: 'ids', ids: [...ids] });
      if (outcome === 'stopped' || ctx.stopped) return 'stopped';
    }
    return refreshLinks(ctx);
  });
}

/** The message of a run that stopped before its end: on request, or at the end of its time slice. */
const STOPPED = {
  stopped: 'Stopped on request. Recorded Bulk jobs keep running in Salesforce; the next run reads their results.',
  sliced: 'Its time slice ended with records left; the next backfill run continues from where it stopped.',
} as const;

async function execute(
  opts: CommonOptions,
  type: RunType,
  retryOf: number | null,
  body: (ctx: RunContext) => Promise<PushOutcome>,
): Promise<RunSummary> {
  const ledger = opts.store.ledger;
  const interrupted = await ledger.closeInterruptedRuns();
  const runId = await ledger.startRun(type, retryOf);
  const tuning = pushTuning(opts.tuning, opts.bulkJob !== undefined);
  const ctx = new RunContext(
    opts.store,
    ledger,
    opts.connection,
    opts.config,
    runId,
    tuning,
    opts.now ?? new Date(),
    opts.signal,
    opts.onProgress,
    opts.bulkJob,
  );
  let status: Exclude<RunStatus, 'Running'> = 'Succeeded';
  let message: string | null = null;
  let refusal: TightknitError | undefined;
  let workLeft = false;
  try {
    const resumed = await resumeUnfinished(ctx);
    if (typeof resumed === 'number' && resumed > 0) {
      message = `Resumed ${resumed} Bulk job(s) of run(s) ${interrupted.join(', ') || 'before'}.`;
    }
    const outcome = resumed === 'stopped' || ctx.stopped ? 'stopped' : await body(ctx);
    const counts = await ledger.runCounts(runId);
    // Communities sent in this run carry the stamp already.
    if (
      outcome === 'done' &&
      counts.community.processed === 0 &&
      counts.member.succeeded + counts.activity.succeeded + counts.activity.deleted > 0
    ) {
      await touchCommunities(ctx);
    }
    if (outcome !== 'done') [status, message, workLeft] = ['Stopped', STOPPED[outcome], outcome === 'sliced'];
  } catch (err) {
    if (err instanceof TightknitError) {
      refusal = err;
      status = err instanceof RequestLimitError || err.exitCode === 3 ? 'Stopped' : 'Failed';
      message = err.message;
      await ledger.addEvent(status === 'Stopped' ? 'stopped' : 'failed', err.message, runId, err.code);
    } else {
      status = 'Failed';
      message = err instanceof Error ? err.message : String(err);
      await ledger.addEvent('failed', message, runId, 'UNEXPECTED');
      await ledger.finishRun(runId, status, message, ctx.http.calls);
      throw err;
    }
  }
  const objects = await ledger.runCounts(runId);
  if (status === 'Succeeded') {
    const failed = OBJECT_KINDS.reduce((n, k) => n + objects[k].failed, 0);
    const succeeded = OBJECT_KINDS.reduce((n, k) => n + objects[k].succeeded + objects[k].deleted, 0);
    if (failed > 0) status = succeeded > 0 ? 'PartiallyFailed' : 'Failed';
    // Missing access to Contact or Lead never looks like success: the links wait for the fix.
    if (ctx.matchingProblem && status === 'Succeeded') status = 'PartiallyFailed';
    const held = (await ledger.pendingSummary()).reduce((n, p) => n + p.count, 0);
    const waiting = await ctx.matchLedger.waitingCount('MATCHING_UNAVAILABLE');
    const notes = [
      message,
      ctx.matchingProblem
        ? `${ctx.matchingProblem.message} ${waiting} member link(s) wait for the fix (\`tightknit-sync check\`); the first run after it links them.`
        : null,
      failed > 0 ? `${failed} record(s) failed: \`tightknit-sync investigate ${runId}\`.` : null,
      held > 0 ? `${held} record(s) wait for their parent record.` : null,
    ];
    message = notes.filter((n): n is string => n !== null).join(' ') || null;
  }
  message = [ctx.note, message].filter((n): n is string => !!n).join(' ') || null;
  await ledger.finishRun(runId, status, message, ctx.http.calls);
  const run = await ledger.run(runId);
  const summary: RunSummary = {
    runId,
    type,
    status,
    startedAt: run?.startedAt ?? ctx.nowIso,
    finishedAt: run?.finishedAt ?? new Date().toISOString(),
    objects,
    apiCalls: ctx.http.calls,
    ...(message ? { message } : {}),
    ...(workLeft ? { workLeft: true as const } : {}),
  };
  if (refusal) {
    Object.defineProperty(refusal, SUMMARY, { value: summary, enumerable: false });
    throw refusal;
  }
  return summary;
}
