import { csvLine, CsvSpool, type SpoolPart } from '../salesforce/csv';
import {
  activitySpec,
  buildCells,
  communitySpec,
  headers,
  memberSpec,
  type LinkDecision,
  type ObjectSpec,
} from '../salesforce/records';
import type { ActivityRow, CommunityRow, MemberRow, ObjectKind, StoredRow } from '../store/types';
import type { RunContext } from './context';
import { finishBulkJob, submitBulkJob } from './jobs';
import { sendCollections, sendDeletes, type Outgoing } from './send';
import { decideLinks, linkCandidate, type LinkCandidate } from './links';

type AnyRow = CommunityRow | MemberRow | ActivityRow;

/** Which rows a push takes: the changes in a sequence range (plus held-back rows), or named records (retry). */
export type RowSource =
  | { mode: 'changed'; fromSeq: number; toSeq: number }
  | { mode: 'ids'; ids: readonly string[]; links?: ReadonlyMap<string, LinkDecision> };

export type PushOutcome = 'done' | 'stopped';

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

/** What the org holds for a push of `kind`: its parents there, whether a record is there, failed parents. */
function orgView(ctx: RunContext, kind: ObjectKind) {
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
  return { parentsInOrg, inOrg, failedParents };
}

/** The Contact or Lead link of each member to send: given by a retry, else decided for the members whose community is in the org. */
async function linksOf(
  ctx: RunContext,
  kind: ObjectKind,
  source: RowSource,
  total: number,
  parentsInOrg: ReadonlySet<string> | undefined,
  inOrg: (id: string) => boolean,
): Promise<ReadonlyMap<string, LinkDecision>> {
  if (source.mode === 'ids' && source.links) return source.links;
  if (kind !== 'member') return new Map<string, LinkDecision>();
  ctx.report({ object: kind, phase: 'matching', processed: 0, total });
  const candidates: LinkCandidate[] = [];
  for (const page of rowsOf(ctx, kind, source)) {
    for (const stored of page.rows) {
      const row = stored.row as MemberRow;
      if (parentsInOrg?.has(row.communityId))
        candidates.push(linkCandidate(stored as StoredRow<MemberRow>, inOrg(row.tightknitId)));
    }
  }
  return decideLinks(ctx, candidates);
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

  const { parentsInOrg, inOrg, failedParents } = orgView(ctx, kind);
  const links = await linksOf(ctx, kind, source, total, parentsInOrg, inOrg);

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
      const held: HeldBack[] = [];
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
          const hold = holdBack(kind, row, parentsInOrg, failedParents);
          if (hold) {
            held.push(hold);
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

  if (!(await finishJobs(ctx, jobs)) || stopped) return 'stopped';
  if (source.mode === 'changed') ctx.ledger.setWatermark(kind, source.toSeq, ctx.runId);
  ctx.report({ object: kind, phase: 'done', processed: total, total });
  return 'done';
}

/** Waits for each job and reads its results into the ledger; false when the run was stopped meanwhile. */
async function finishJobs(ctx: RunContext, jobs: number[]): Promise<boolean> {
  for (const jobId of jobs) {
    const outcome = await finishBulkJob(ctx, jobId);
    if (outcome.kind === 'stopped') return false;
  }
  return true;
}

type HeldBack = { externalId: string; reason: string; waitingOn: string | null };

/** Why a row waits instead of being sent: a parent not in the org yet, or one that failed to sync. */
function holdBack(
  kind: ObjectKind,
  row: AnyRow,
  parentsInOrg: ReadonlySet<string> | undefined,
  failedParents: ReadonlySet<string> | undefined,
): HeldBack | undefined {
  const missing = missingParent(kind, row, parentsInOrg);
  if (!missing) return undefined;
  const failed = failedParents?.has(missing.id) === true;
  return {
    externalId: row.tightknitId,
    reason: `${missing.label} ${failed ? 'failed to sync' : 'not in the org yet'}`,
    waitingOn: missing.id,
  };
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
  parentsInOrg: ReadonlySet<string> | undefined,
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
