import { OBJECT_KINDS, type JobRecord } from '../ledger';
import { SalesforceApiError } from '../salesforce/errors';
import type { ObjectKind } from '../store/types';
import type { RunContext } from './context';
import { abandonOpenJob, finishBulkJob } from './jobs';

/**
 * Finishes what an earlier run left behind before anything new is pushed: Bulk jobs whose results were
 * never read are polled and read (their counts and failures go to the run that created them); a job
 * whose upload never completed is aborted, and its rows are simply sent again. Then the watermark of
 * each interrupted run moves up to where its jobs, read in order, cover the changes.
 * Returns how many jobs were resumed, or 'stopped' when a stop signal came first.
 */
export async function resumeUnfinished(ctx: RunContext): Promise<number | 'stopped'> {
  const jobs = await ctx.ledger.unfinishedJobs();
  if (jobs.length === 0) return 0;
  const runs = new Set<number>();
  let resumed = 0;
  for (const job of jobs) {
    runs.add(job.runId);
    if (job.path === 'collections' || !job.sfJobId) {
      // A Collections call has no id to ask about; its rows were not acknowledged and are sent again.
      await ctx.ledger.updateJob(job.id, {
        state: 'Abandoned',
        resultsAt: await ctx.ledger.now(),
        errorMessage: 'The process ended during this call; its records are sent again.',
      });
      continue;
    }
    if (job.state === 'Open') {
      await abandonOpenJob(
        ctx,
        { id: job.id, sfJobId: job.sfJobId },
        'The upload did not finish before the process ended; its records are sent again.',
      );
      continue;
    }
    await ctx.ledger.addEvent(
      'resumed-job',
      `Resumed Bulk job ${job.sfJobId} (${job.object} ${job.operation}) of run ${job.runId}.`,
      ctx.runId,
    );
    let outcome;
    try {
      outcome = await finishBulkJob(ctx, job.object, job.id);
    } catch (err) {
      // Salesforce deletes jobs 7 days after they end: the results are gone, the rows are simply sent again.
      if (!(err instanceof SalesforceApiError && err.status === 404)) throw err;
      await ctx.ledger.updateJob(job.id, {
        state: 'Expired',
        resultsAt: await ctx.ledger.now(),
        errorMessage:
          'Salesforce no longer knows this job (jobs are deleted 7 days after they end); its records are sent again.',
      });
      continue;
    }
    if (outcome.kind === 'stopped') return 'stopped';
    resumed++;
  }
  for (const runId of runs) await advanceWatermarks(ctx, await ctx.ledger.jobsOfRun(runId));
  return resumed;
}

/** Moves each object's watermark to the end of the longest run of jobs (by range) that were all read. */
async function advanceWatermarks(ctx: RunContext, jobs: JobRecord[]): Promise<void> {
  for (const kind of OBJECT_KINDS) {
    const covered = coveredSeq(jobs, kind);
    if (covered !== undefined && covered > (await ctx.ledger.watermark(kind)))
      await ctx.ledger.setWatermark(kind, covered, jobs[0].runId);
  }
}

/**
 * Where the jobs of one run cover the changes of `kind` to: the end of the longest run of its push and
 * delete jobs (in order of range) that were all uploaded and read. Undefined: none was.
 */
export function coveredSeq(jobs: readonly JobRecord[], kind: ObjectKind): number | undefined {
  const ranged = jobs.filter(
    (j) => j.object === kind && j.seqHi !== null && (j.purpose === 'push' || j.purpose === 'delete'),
  );
  ranged.sort((a, b) => (a.seqHi ?? 0) - (b.seqHi ?? 0) || a.id - b.id);
  let covered: number | undefined;
  for (const j of ranged) {
    const sent = j.resultsAt !== null && j.uploadedAt !== null && j.state !== 'Expired';
    if (!sent) break;
    covered = j.seqHi ?? covered;
  }
  return covered;
}
