import { collectionError, COLLECTIONS_MAX, deleteCollection, upsertCollection } from '../salesforce/collections';
import { csvLine, CsvSpool, type Cell, type SpoolPart } from '../salesforce/csv';
import { communitySpec, toCollectionRecord } from '../salesforce/records';
import type { ObjectKind } from '../store/types';
import type { RunContext } from './context';
import { EXTERNAL_ID } from './job-results';
import { openBulkJob, type ObjectJobs } from './jobs';

/** A record the push decided to send. */
export interface Outgoing {
  ext: string;
  parent: string;
  cells: Cell[];
}

/** Deletes by Salesforce id: one Collections call for a few, Bulk delete jobs for more. */
export async function sendDeletes(
  ctx: RunContext,
  kind: ObjectKind,
  deletes: Array<{ ext: string; sfId: string }>,
  seqHi: number | null,
  jobs: ObjectJobs,
): Promise<void> {
  if (
    ctx.tuning.collectionsThreshold > 0 &&
    deletes.length <= Math.min(ctx.tuning.collectionsThreshold, COLLECTIONS_MAX)
  ) {
    const jobId = await ctx.ledger.createJob({
      runId: ctx.runId,
      object: kind,
      operation: 'delete',
      purpose: 'delete',
      path: 'collections',
      sfJobId: null,
      state: 'InProgress',
      records: deletes.length,
      bytes: 0,
      seqHi,
    });
    const results = await deleteCollection(
      ctx.http,
      deletes.map((d) => d.sfId),
    );
    const gone: string[] = [];
    const bad: Array<readonly [string, string]> = [];
    deletes.forEach((d, i) => {
      const r = results[i];
      const error = collectionError(r);
      if (r?.success || /^(ENTITY_IS_DELETED|INVALID_CROSS_REFERENCE_KEY)/.test(error)) gone.push(d.ext);
      else bad.push([d.ext, error]);
    });
    await ctx.ledger.forgetRecords(kind, gone);
    await ctx.failed(ctx.runId, jobId, kind, bad);
    await ctx.ledger.addCounts(ctx.runId, kind, {
      processed: deletes.length,
      deleted: gone.length,
      failed: bad.length,
    });
    const now = await ctx.ledger.now();
    await ctx.ledger.updateJob(jobId, {
      state: 'JobComplete',
      processed: deletes.length,
      failed: bad.length,
      uploadedAt: now,
      finishedAt: now,
      resultsAt: now,
    });
    return;
  }
  await ctx.ledger.noteDeletes(ctx.runId, kind, deletes);
  const parts: SpoolPart[] = [];
  const spool = new CsvSpool(['Id'], { maxBytes: ctx.tuning.maxJobBytes, maxRows: ctx.tuning.maxJobRows }, (p) =>
    parts.push(p),
  );
  try {
    for (const d of deletes) spool.add(csvLine([d.sfId]));
    spool.finish();
    for (const part of parts) await jobs.add(() => openBulkJob(ctx, kind, 'delete', part, 'delete', seqHi));
  } finally {
    await jobs.settle(); // a job under way still reads its file
    spool.dispose();
  }
}

/**
 * A small delta goes through sObject Collections (200 records per call) instead of a Bulk job: one call
 * instead of five or more, and the answer comes back at once. Recorded in the ledger with path 'collections'.
 */
export async function sendCollections(
  ctx: RunContext,
  kind: ObjectKind,
  sobject: string,
  header: string[],
  rows: Outgoing[],
  seqHi: number | null,
  attempt = 0,
): Promise<void> {
  for (let i = 0; i < rows.length; i += COLLECTIONS_MAX) {
    const batch = rows.slice(i, i + COLLECTIONS_MAX);
    const jobId = await ctx.ledger.createJob({
      runId: ctx.runId,
      object: kind,
      operation: 'upsert',
      purpose: attempt > 0 ? 'lock-retry' : 'push',
      path: 'collections',
      sfJobId: null,
      state: 'InProgress',
      records: batch.length,
      bytes: 0,
      seqHi: i + COLLECTIONS_MAX >= rows.length ? seqHi : null,
    });
    ctx.report({ object: kind, phase: 'uploading', processed: i, total: rows.length });
    const results = await upsertCollection(
      ctx.http,
      sobject,
      EXTERNAL_ID,
      batch.map((r) => toCollectionRecord(sobject, header, r.cells)),
    );
    const ok: Array<readonly [string, string]> = [];
    const bad: Array<readonly [string, string]> = [];
    const locked: Outgoing[] = [];
    batch.forEach((r, j) => {
      const res = results[j];
      if (res?.success && res.id) ok.push([r.ext, res.id]);
      else {
        const error = collectionError(res);
        if (error.startsWith('UNABLE_TO_LOCK_ROW') && attempt < ctx.tuning.lockRetries) locked.push(r);
        else bad.push([r.ext, error]);
      }
    });
    await ctx.succeeded(kind, ok);
    await ctx.failed(ctx.runId, jobId, kind, bad);
    await ctx.ledger.addCounts(ctx.runId, kind, {
      processed: ok.length + bad.length,
      succeeded: ok.length,
      failed: bad.length,
    });
    const now = await ctx.ledger.now();
    await ctx.ledger.updateJob(jobId, {
      state: 'JobComplete',
      processed: batch.length,
      failed: bad.length + locked.length,
      uploadedAt: now,
      finishedAt: now,
      resultsAt: now,
    });
    if (locked.length > 0) {
      locked.sort((a, b) => a.parent.localeCompare(b.parent));
      await sendCollections(ctx, kind, sobject, header, locked, null, attempt + 1);
    }
  }
}

/**
 * Keeps Community Last_Synced_At__c current: after a run that sent members or activities, one
 * sObject Collections call stamps the communities already in the org (no other field is touched).
 */
export async function touchCommunities(ctx: RunContext): Promise<void> {
  const ids = [...(await ctx.ledger.idsInOrg('community'))];
  for (let i = 0; i < ids.length; i += COLLECTIONS_MAX) {
    const batch = ids.slice(i, i + COLLECTIONS_MAX);
    const jobId = await ctx.ledger.createJob({
      runId: ctx.runId,
      object: 'community',
      operation: 'upsert',
      purpose: 'touch',
      path: 'collections',
      sfJobId: null,
      state: 'InProgress',
      records: batch.length,
      bytes: 0,
      seqHi: null,
    });
    const records = batch.map((id) => ({
      attributes: { type: communitySpec.sobject },
      [EXTERNAL_ID]: id,
      tightknit__Last_Synced_At__c: ctx.nowIso,
    }));
    const results = await upsertCollection(ctx.http, communitySpec.sobject, EXTERNAL_ID, records);
    const failed = results.filter((r) => !r.success).length;
    const now = await ctx.ledger.now();
    await ctx.ledger.updateJob(jobId, {
      state: 'JobComplete',
      processed: batch.length,
      failed,
      uploadedAt: now,
      finishedAt: now,
      resultsAt: now,
      errorMessage: failed > 0 ? collectionError(results.find((r) => !r.success)) : null,
    });
  }
}
