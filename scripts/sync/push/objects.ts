import { collectionError, COLLECTIONS_MAX, deleteCollection, upsertCollection } from '../salesforce/collections';
import { csvLine, CsvSpool, type Cell, type SpoolPart } from '../salesforce/csv';
import {
  activitySpec,
  buildCells,
  communitySpec,
  headers,
  memberSpec,
  toCollectionRecord,
  type LinkDecision,
  type ObjectSpec,
} from '../salesforce/records';
import type { ActivityRow, CommunityRow, MemberRow, ObjectKind, StoredRow } from '../store/types';
import type { RunContext } from './context';
import { EXTERNAL_ID, finishBulkJob, submitBulkJob } from './jobs';
import { decideLinks, linkCandidate, type LinkCandidate } from './links';

type AnyRow = CommunityRow | MemberRow | ActivityRow;

/** Which rows a push takes: the changes in a sequence range (plus held-back rows), or named records (retry). */
export type RowSource =
  | { mode: 'changed'; fromSeq: number; toSeq: number }
  | { mode: 'ids'; ids: readonly string[]; links?: ReadonlyMap<string, LinkDecision> };

export type PushOutcome = 'done' | 'stopped';

/** A record the push decided to send. */
interface Outgoing {
  ext: string;
  parent: string;
  cells: Cell[];
}

function specFor(ctx: RunContext, kind: ObjectKind): ObjectSpec<AnyRow> {
  const spec =
    kind === 'community' ? communitySpec : kind === 'member' ? memberSpec : activitySpec(ctx.config.activityMetadata);
  return spec;
}

function getRow(ctx: RunContext, kind: ObjectKind, id: string): StoredRow<AnyRow> | undefined {
  if (kind === 'community') return ctx.store.getCommunity(id);
  if (kind === 'member') return ctx.store.getMember(id);
  return ctx.store.getActivity(id);
}

function changedPage(ctx: RunContext, kind: ObjectKind, after: number): Array<StoredRow<AnyRow>> {
  const n = ctx.tuning.pageSize;
  if (kind === 'community') return ctx.store.changedCommunities(after, n);
  if (kind === 'member') return ctx.store.changedMembers(after, n);
  return ctx.store.changedActivities(after, n);
}

/** One page of rows to push; `fromPending` tells held-back rows (outside the range of changes) apart. */
interface Page {
  rows: Array<StoredRow<AnyRow>>;
  fromPending: boolean;
}

/**
 * Rows of one object in push order: first the held-back ones (their parents may exist now) and the ones
 * that failed for a passing reason, then the changes after `fromSeq` up to `toSeq` in sequence order,
 * page by page.
 */
function* rowsOf(ctx: RunContext, kind: ObjectKind, source: RowSource): Generator<Page> {
  if (source.mode === 'ids') {
    const ids = [...source.ids];
    for (let i = 0; i < ids.length; i += ctx.tuning.pageSize) {
      const page = ids.slice(i, i + ctx.tuning.pageSize).map((id) => getRow(ctx, kind, id));
      yield { rows: page.filter((r): r is StoredRow<AnyRow> => r !== undefined), fromPending: true };
    }
    return;
  }
  const pendingSet = ctx.pendingOf(kind);
  // Held-back rows, then transient failures of earlier runs (lock contention, server errors).
  const pending = [...pendingSet, ...[...ctx.transientFailuresOf(kind)].filter((id) => !pendingSet.has(id))];
  for (let i = 0; i < pending.length; i += ctx.tuning.pageSize) {
    const page = pending
      .slice(i, i + ctx.tuning.pageSize)
      .map((id) => getRow(ctx, kind, id))
      // A held-back row that changed since comes again with the changes, in order.
      .filter((r): r is StoredRow<AnyRow> => r !== undefined && !(r.seq > source.fromSeq && r.seq <= source.toSeq));
    if (page.length > 0) yield { rows: page, fromPending: true };
  }
  let after = source.fromSeq;
  for (;;) {
    let page = changedPage(ctx, kind, after);
    if (page.length > 0 && page[page.length - 1].seq > source.toSeq) page = page.filter((r) => r.seq <= source.toSeq);
    if (page.length === 0) return;
    yield { rows: page, fromPending: false };
    after = page[page.length - 1].seq;
    if (after >= source.toSeq) return;
  }
}

function estimate(ctx: RunContext, kind: ObjectKind, source: RowSource): number {
  if (source.mode === 'ids') return source.ids.length;
  return ctx.store.countChanged(kind, source.fromSeq) + ctx.pendingOf(kind).size + ctx.transientFailuresOf(kind).size;
}

/**
 * Pushes one object: decides per row (send, hold back, delete, nothing), builds the CSV as a stream into
 * job-sized files, records each job before waiting on it, reads the results into the ledger and, for
 * a range of changes, moves the watermark once every row of the range is accounted for.
 */
export async function pushObject(ctx: RunContext, kind: ObjectKind, source: RowSource): Promise<PushOutcome> {
  const total = estimate(ctx, kind, source);
  if (total === 0) {
    if (source.mode === 'changed') ctx.ledger.setWatermark(kind, source.toSeq, ctx.runId);
    return 'done';
  }
  const spec = specFor(ctx, kind);
  const header = headers(spec);
  const useCollections = ctx.tuning.collectionsThreshold > 0 && total <= ctx.tuning.collectionsThreshold;

  // Parents in the org decide what is held back; records in the org decide what a missing value means.
  const parentsInOrg =
    kind === 'member'
      ? ctx.ledger.idsInOrg('community')
      : kind === 'activity'
        ? ctx.ledger.idsInOrg('member')
        : undefined;
  const selfInOrg = kind === 'activity' ? undefined : ctx.ledger.idsInOrg(kind);
  const anyActivityInOrg = kind === 'activity' && ctx.ledger.countRecords('activity') > 0;
  const inOrg = (id: string): boolean =>
    selfInOrg ? selfInOrg.has(id) : anyActivityInOrg && ctx.ledger.sfId('activity', id) !== undefined;
  const failedParents =
    kind === 'activity' ? ctx.unresolvedOf('member') : kind === 'member' ? ctx.unresolvedOf('community') : undefined;

  let links: ReadonlyMap<string, LinkDecision> = new Map<string, LinkDecision>();
  if (source.mode === 'ids' && source.links) links = source.links;
  else if (kind === 'member') {
    ctx.report({ object: kind, phase: 'matching', processed: 0, total });
    const candidates: LinkCandidate[] = [];
    for (const page of rowsOf(ctx, kind, source)) {
      for (const stored of page.rows) {
        const row = stored.row as MemberRow;
        if (parentsInOrg?.has(row.communityId))
          candidates.push(linkCandidate(stored as StoredRow<MemberRow>, inOrg(row.tightknitId)));
      }
    }
    links = await decideLinks(ctx, candidates);
  }

  const jobs: number[] = [];
  const parts: Array<{ part: SpoolPart; seqHi: number | null }> = [];
  const deletes: Array<{ ext: string; sfId: string; seq: number }> = [];
  const small: Outgoing[] = [];
  let lastSeq = source.mode === 'changed' ? source.fromSeq : 0;
  let processed = 0;
  let truncated = 0;
  const seqHi = (): number | null => {
    if (source.mode !== 'changed') return null;
    // Deletes go last: a job may only claim the range up to the first delete not yet sent.
    return deletes.length > 0 ? Math.min(lastSeq, deletes[0].seq - 1) : lastSeq;
  };
  const spool = useCollections
    ? undefined
    : new CsvSpool(header, { maxBytes: ctx.tuning.maxJobBytes, maxRows: ctx.tuning.maxJobRows }, (part) =>
        parts.push({ part, seqHi: seqHi() }),
      );

  let stopped = false;
  try {
    for (const page of rowsOf(ctx, kind, source)) {
      const held: Array<{ externalId: string; reason: string; waitingOn: string | null }> = [];
      const fromPending = page.fromPending;
      for (const stored of page.rows) {
        const row = stored.row;
        const ext = row.tightknitId;
        const gone = stored.deleted && kind !== 'member';
        if (gone) {
          if (kind === 'activity') {
            const sfId = ctx.ledger.sfId('activity', ext);
            if (sfId) deletes.push({ ext, sfId, seq: stored.seq });
            else if (ctx.pendingOf(kind).has(ext)) ctx.ledger.release(kind, [ext]);
          }
        } else {
          const missing = missingParent(kind, row, parentsInOrg);
          if (missing) {
            const failed = failedParents?.has(missing.id) === true;
            held.push({
              externalId: ext,
              reason: `${missing.label} ${failed ? 'failed to sync' : 'not in the org yet'}`,
              waitingOn: missing.id,
            });
          } else {
            const env = { inOrg: inOrg(ext), link: kind === 'member' ? links.get(ext) : undefined, now: ctx.nowIso };
            const built = buildCells(
              spec,
              kind === 'member' ? memberForPush(stored as StoredRow<MemberRow>) : row,
              env,
            );
            if (built.truncated) truncated++;
            if (spool) spool.add(csvLine(built.cells));
            else small.push({ ext, parent: spec.parentOf(row), cells: built.cells });
          }
        }
        if (!fromPending) lastSeq = stored.seq;
        processed++;
      }
      ctx.hold(kind, held);
      if (held.length > 0) ctx.ledger.addCounts(ctx.runId, kind, { heldBack: held.length });
      ctx.report({ object: kind, phase: 'uploading', processed, total });
      // Each finished file becomes a recorded job before the next page is read.
      while (parts.length > 0) {
        const next = parts.shift();
        if (next) jobs.push(await submitBulkJob(ctx, kind, 'upsert', next.part, 'push', next.seqHi));
      }
      if (ctx.stopped) {
        stopped = true;
        break;
      }
    }
    if (!stopped) {
      spool?.finish();
      const endSeq = source.mode === 'changed' ? (deletes.length > 0 ? deletes[0].seq - 1 : source.toSeq) : null;
      for (const p of parts.splice(0)) jobs.push(await submitBulkJob(ctx, kind, 'upsert', p.part, 'push', endSeq));
      const deleteHi = source.mode === 'changed' ? source.toSeq : null;
      if (small.length > 0)
        await sendCollections(ctx, kind, spec.sobject, header, small, source.mode === 'changed' ? endSeq : null);
      if (deletes.length > 0) jobs.push(...(await sendDeletes(ctx, kind, deletes, deleteHi)));
    }
    if (truncated > 0) ctx.ledger.addCounts(ctx.runId, kind, { truncated });
  } finally {
    spool?.dispose();
  }

  for (const jobId of jobs) {
    const outcome = await finishBulkJob(ctx, jobId);
    if (outcome.kind === 'stopped') return 'stopped';
  }
  if (stopped) return 'stopped';
  if (source.mode === 'changed') ctx.ledger.setWatermark(kind, source.toSeq, ctx.runId);
  ctx.report({ object: kind, phase: 'done', processed: total, total });
  return 'done';
}

/** A deleted member stays in the org as a record with status Deleted and its personal fields cleared. */
function memberForPush(stored: StoredRow<MemberRow>): MemberRow {
  if (!stored.deleted && stored.row.status !== 'Deleted') return stored.row;
  return {
    ...stored.row,
    status: 'Deleted',
    email: null,
    firstName: null,
    lastName: null,
    title: null,
    avatarUrl: null,
    timeZone: null,
    profileUrl: null,
  };
}

function missingParent(
  kind: ObjectKind,
  row: AnyRow,
  parentsInOrg: Set<string> | undefined,
): { id: string; label: string } | undefined {
  if (!parentsInOrg) return undefined;
  if (kind === 'member') {
    const m = row as MemberRow;
    return parentsInOrg.has(m.communityId) ? undefined : { id: m.communityId, label: 'Community' };
  }
  const a = row as ActivityRow;
  if (!parentsInOrg.has(a.memberId)) return { id: a.memberId, label: 'Member' };
  if (a.targetMemberId && !parentsInOrg.has(a.targetMemberId)) return { id: a.targetMemberId, label: 'Target member' };
  return undefined;
}

/** Deletes by Salesforce id: one Collections call for a few, Bulk delete jobs for more. */
async function sendDeletes(
  ctx: RunContext,
  kind: ObjectKind,
  deletes: Array<{ ext: string; sfId: string }>,
  seqHi: number | null,
): Promise<number[]> {
  if (
    ctx.tuning.collectionsThreshold > 0 &&
    deletes.length <= Math.min(ctx.tuning.collectionsThreshold, COLLECTIONS_MAX)
  ) {
    const jobId = ctx.ledger.createJob({
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
    ctx.ledger.forgetRecords(kind, gone);
    ctx.failed(ctx.runId, jobId, kind, bad);
    ctx.ledger.addCounts(ctx.runId, kind, { processed: deletes.length, deleted: gone.length, failed: bad.length });
    const now = ctx.ledger.now();
    ctx.ledger.updateJob(jobId, {
      state: 'JobComplete',
      processed: deletes.length,
      failed: bad.length,
      uploadedAt: now,
      finishedAt: now,
      resultsAt: now,
    });
    return [];
  }
  ctx.ledger.noteDeletes(ctx.runId, kind, deletes);
  const parts: SpoolPart[] = [];
  const spool = new CsvSpool(['Id'], { maxBytes: ctx.tuning.maxJobBytes, maxRows: ctx.tuning.maxJobRows }, (p) =>
    parts.push(p),
  );
  try {
    for (const d of deletes) spool.add(csvLine([d.sfId]));
    spool.finish();
    const jobs: number[] = [];
    for (const part of parts) jobs.push(await submitBulkJob(ctx, kind, 'delete', part, 'delete', seqHi));
    return jobs;
  } finally {
    spool.dispose();
  }
}

/**
 * A small delta goes through sObject Collections (200 records per call) instead of a Bulk job: one call
 * instead of five or more, and the answer comes back at once. Recorded in the ledger with path 'collections'.
 */
async function sendCollections(
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
    const jobId = ctx.ledger.createJob({
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
    ctx.succeeded(kind, ok);
    ctx.failed(ctx.runId, jobId, kind, bad);
    ctx.ledger.addCounts(ctx.runId, kind, {
      processed: ok.length + bad.length,
      succeeded: ok.length,
      failed: bad.length,
    });
    const now = ctx.ledger.now();
    ctx.ledger.updateJob(jobId, {
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
  const ids = [...ctx.ledger.idsInOrg('community')];
  for (let i = 0; i < ids.length; i += COLLECTIONS_MAX) {
    const batch = ids.slice(i, i + COLLECTIONS_MAX);
    const jobId = ctx.ledger.createJob({
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
    const now = ctx.ledger.now();
    ctx.ledger.updateJob(jobId, {
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
