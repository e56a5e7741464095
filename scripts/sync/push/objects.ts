import { DELETED_PERSON } from '../deleted-member';
import { csvLine, CsvSpool, type SpoolPart } from '../salesforce/csv';
import {
  activitySpec,
  buildCells,
  communitySpec,
  headers,
  memberSpec,
  type LinkDecision,
  type ObjectSpec,
  type RowEnv,
} from '../salesforce/records';
import type { ActivityRow, CommunityRow, MemberRow, ObjectKind, StoredRow } from '../store/types';
import type { RunContext } from './context';
import { ObjectJobs, openBulkJob } from './jobs';
import { sendCollections, sendDeletes, type Outgoing } from './send';
import { decideLinks, linkCandidate, type LinkCandidate } from './links';

type AnyRow = CommunityRow | MemberRow | ActivityRow;

/** Which rows a push takes: the changes in a sequence range (plus held-back rows), or named records (retry). */
export type RowSource =
  | { mode: 'changed'; fromSeq: number; toSeq: number }
  | { mode: 'ids'; ids: readonly string[]; links?: ReadonlyMap<string, LinkDecision> };

/** 'sliced': the run's time slice ended at a job boundary with rows left (a sliced backfill continues). */
export type PushOutcome = 'done' | 'stopped' | 'sliced';

function specFor(ctx: RunContext, kind: ObjectKind): ObjectSpec<AnyRow> {
  const spec =
    kind === 'community' ? communitySpec : kind === 'member' ? memberSpec : activitySpec(ctx.config.activityMetadata);
  return spec;
}

function getRow(ctx: RunContext, kind: ObjectKind, id: string): Promise<StoredRow<AnyRow> | undefined> {
  if (kind === 'community') return ctx.store.getCommunity(id);
  if (kind === 'member') return ctx.store.getMember(id);
  return ctx.store.getActivity(id);
}

function changedPage(ctx: RunContext, kind: ObjectKind, after: number): Promise<Array<StoredRow<AnyRow>>> {
  const n = ctx.tuning.pageSize;
  if (kind === 'community') return ctx.store.changedCommunities(after, n);
  if (kind === 'member') return ctx.store.changedMembers(after, n);
  return ctx.store.changedActivities(after, n);
}

/** The stored rows of these ids, in their order (ids no longer stored are left out). */
async function rowsById(ctx: RunContext, kind: ObjectKind, ids: readonly string[]): Promise<Array<StoredRow<AnyRow>>> {
  const rows: Array<StoredRow<AnyRow>> = [];
  for (const id of ids) {
    const row = await getRow(ctx, kind, id);
    if (row) rows.push(row);
  }
  return rows;
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
async function* rowsOf(ctx: RunContext, kind: ObjectKind, source: RowSource): AsyncGenerator<Page> {
  if (source.mode === 'ids') {
    const ids = [...source.ids];
    for (let i = 0; i < ids.length; i += ctx.tuning.pageSize) {
      const page = await rowsById(ctx, kind, ids.slice(i, i + ctx.tuning.pageSize));
      yield { rows: page.filter((r): r is StoredRow<AnyRow> => r !== undefined), fromPending: true };
    }
    return;
  }
  const pendingSet = await ctx.pendingOf(kind);
  // Held-back rows, then transient failures of earlier runs (lock contention, server errors).
  const pending = [...pendingSet, ...[...(await ctx.transientFailuresOf(kind))].filter((id) => !pendingSet.has(id))];
  for (let i = 0; i < pending.length; i += ctx.tuning.pageSize) {
    const page = (await rowsById(ctx, kind, pending.slice(i, i + ctx.tuning.pageSize)))
      // A held-back row that changed since comes again with the changes, in order.
      .filter((r) => !(r.seq > source.fromSeq && r.seq <= source.toSeq));
    if (page.length > 0) yield { rows: page, fromPending: true };
  }
  let after = source.fromSeq;
  for (;;) {
    let page = await changedPage(ctx, kind, after);
    if (page.length > 0 && page[page.length - 1].seq > source.toSeq) page = page.filter((r) => r.seq <= source.toSeq);
    if (page.length === 0) return;
    yield { rows: page, fromPending: false };
    after = page[page.length - 1].seq;
    if (after >= source.toSeq) return;
  }
}

async function estimate(ctx: RunContext, kind: ObjectKind, source: RowSource): Promise<number> {
  if (source.mode === 'ids') return source.ids.length;
  const changed = await ctx.store.countChanged(kind, source.fromSeq);
  return changed + (await ctx.pendingOf(kind)).size + (await ctx.transientFailuresOf(kind)).size;
}

/** What the org holds for a push of `kind`: its parents there, its own records there, failed parents. */
async function orgView(ctx: RunContext, kind: ObjectKind) {
  // Parents in the org decide what is held back; records in the org decide what a missing value means.
  const parentsInOrg =
    kind === 'member'
      ? await ctx.ledger.idsInOrg('community')
      : kind === 'activity'
        ? await ctx.ledger.idsInOrg('member')
        : undefined;
  // Activities are too many to load: their Salesforce ids are looked up a page at a time (sfIdsOf).
  const selfInOrg = kind === 'activity' ? undefined : await ctx.ledger.idsInOrg(kind);
  const anyActivityInOrg = kind === 'activity' && (await ctx.ledger.countRecords('activity')) > 0;
  const failedParents =
    kind === 'activity'
      ? await ctx.unresolvedOf('member')
      : kind === 'member'
        ? await ctx.unresolvedOf('community')
        : undefined;
  return { parentsInOrg, selfInOrg, anyActivityInOrg, failedParents };
}

type OrgView = Awaited<ReturnType<typeof orgView>>;

/**
 * The Salesforce ids of a page's activities that are in the org (one look-up per page): the deleted ones
 * to delete there and, once any activity is in the org, the others to tell an update from an insert.
 */
async function sfIdsOf(ctx: RunContext, kind: ObjectKind, view: OrgView, page: Page): Promise<Map<string, string>> {
  if (kind !== 'activity') return new Map<string, string>();
  const ids = page.rows.filter((r) => r.deleted || view.anyActivityInOrg).map((r) => r.row.tightknitId);
  return ids.length > 0 ? ctx.ledger.sfIds('activity', ids) : new Map<string, string>();
}

/** Whether the record `id` is in the org, given its page's look-up. */
function inOrg(view: OrgView, sfIds: ReadonlyMap<string, string>, id: string): boolean {
  return view.selfInOrg ? view.selfInOrg.has(id) : sfIds.has(id);
}

/** The Contact or Lead link of each member to send: given by a retry, else decided for the members whose community is in the org. */
async function linksOf(
  ctx: RunContext,
  kind: ObjectKind,
  source: RowSource,
  total: number,
  view: OrgView,
): Promise<ReadonlyMap<string, LinkDecision>> {
  if (source.mode === 'ids' && source.links) return source.links;
  if (kind !== 'member') return new Map<string, LinkDecision>();
  ctx.report({ object: kind, phase: 'matching', processed: 0, total });
  const candidates: LinkCandidate[] = [];
  for await (const page of rowsOf(ctx, kind, source)) {
    for (const stored of page.rows) {
      const row = stored.row as MemberRow;
      if (view.parentsInOrg?.has(row.communityId))
        candidates.push(linkCandidate(stored as StoredRow<MemberRow>, view.selfInOrg?.has(row.tightknitId) === true));
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
  const total = await estimate(ctx, kind, source);
  if (total === 0) {
    if (source.mode === 'changed') await ctx.ledger.setWatermark(kind, source.toSeq, ctx.runId);
    return 'done';
  }
  const spec = specFor(ctx, kind);
  const header = headers(spec);
  const useCollections = ctx.tuning.collectionsThreshold > 0 && total <= ctx.tuning.collectionsThreshold;
  const view = await orgView(ctx, kind);
  const links = await linksOf(ctx, kind, source, total, view);
  const pending = await ctx.pendingOf(kind);

  const jobs = new ObjectJobs(ctx, kind);
  const parts: Array<{ part: SpoolPart; seqHi: number | null; lastSeq: number }> = [];
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
        parts.push({ part, seqHi: seqHi(), lastSeq }),
      );

  let end: 'stopped' | 'sliced' | undefined;
  let sentUpTo: number | undefined; // the last change a submitted job's rows reach
  try {
    for await (const page of rowsOf(ctx, kind, source)) {
      const held: HeldBack[] = [];
      const fromPending = page.fromPending;
      const sfIds = await sfIdsOf(ctx, kind, view, page);
      for (const stored of page.rows) {
        const row = stored.row;
        const ext = row.tightknitId;
        const gone = stored.deleted && kind !== 'member';
        if (gone) {
          if (kind === 'activity') {
            const sfId = sfIds.get(ext);
            if (sfId) deletes.push({ ext, sfId, seq: stored.seq });
            else if (pending.has(ext)) await ctx.ledger.release(kind, [ext]);
          }
        } else {
          const hold = holdBack(kind, row, view.parentsInOrg, view.failedParents);
          if (hold) {
            held.push(hold);
          } else {
            const link = kind === 'member' ? links.get(ext) : undefined;
            const built = cellsOf(kind, spec, stored, { inOrg: inOrg(view, sfIds, ext), link, now: ctx.nowIso });
            if (built.truncated) truncated++;
            if (spool) spool.add(csvLine(built.cells));
            else small.push({ ext, parent: spec.parentOf(row), cells: built.cells });
          }
        }
        if (!fromPending) lastSeq = stored.seq;
        processed++;
      }
      await ctx.hold(kind, held);
      if (held.length > 0) await ctx.ledger.addCounts(ctx.runId, kind, { heldBack: held.length });
      ctx.report({ object: kind, phase: 'uploading', processed, total });
      // Each finished file becomes a job before the next page is read (which it may run beside: ObjectJobs).
      let submitted = false;
      for (const next of parts.splice(0)) {
        await jobs.add(() => openBulkJob(ctx, kind, 'upsert', next.part, 'push', next.seqHi));
        [submitted, sentUpTo, ctx.progressed] = [true, next.lastSeq, true];
      }
      if (ctx.stopped) end = 'stopped';
      // A time slice ends between jobs, never inside one (a sliced push reads only changes).
      else if (submitted && source.mode === 'changed' && ctx.sliceOver()) end = 'sliced';
      if (end) break;
    }
    if (end === 'sliced') await sendDeletesUpTo(ctx, kind, deletes, sentUpTo ?? 0, jobs);
    else if (!end) {
      spool?.finish();
      const endSeq = source.mode === 'changed' ? (deletes.length > 0 ? deletes[0].seq - 1 : source.toSeq) : null;
      for (const p of parts.splice(0)) await jobs.add(() => openBulkJob(ctx, kind, 'upsert', p.part, 'push', endSeq));
      if (small.length > 0)
        await sendCollections(ctx, kind, spec.sobject, header, small, source.mode === 'changed' ? endSeq : null);
      if (deletes.length > 0)
        await sendDeletes(ctx, kind, deletes, source.mode === 'changed' ? source.toSeq : null, jobs);
    }
    if (truncated > 0) await ctx.ledger.addCounts(ctx.runId, kind, { truncated });
  } finally {
    await jobs.settle(); // a job under way still reads its file
    spool?.dispose();
  }

  if (!(await jobs.finish()) || end === 'stopped') return 'stopped';
  if (end === 'sliced') return 'sliced';
  ctx.progressed = true;
  if (source.mode === 'changed') await ctx.ledger.setWatermark(kind, source.toSeq, ctx.runId);
  ctx.report({ object: kind, phase: 'done', processed: total, total });
  return 'done';
}

/**
 * At the end of a time slice, the deletes among the changes its jobs covered (up to `upTo`) go, with that
 * range; the rows after it are read again by the next slice.
 */
async function sendDeletesUpTo(
  ctx: RunContext,
  kind: ObjectKind,
  deletes: ReadonlyArray<{ ext: string; sfId: string; seq: number }>,
  upTo: number,
  jobs: ObjectJobs,
): Promise<void> {
  const due = deletes.filter((d) => d.seq <= upTo);
  if (due.length > 0) await sendDeletes(ctx, kind, due, upTo, jobs);
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

/** The cells of a row to send (a member as the org keeps it, deleted or not). */
function cellsOf(kind: ObjectKind, spec: ObjectSpec<AnyRow>, stored: StoredRow<AnyRow>, env: RowEnv) {
  const row = kind === 'member' ? memberForPush(stored as StoredRow<MemberRow>) : stored.row;
  return buildCells(spec, row, env);
}

/** A deleted member stays in the org as a record with status Deleted and its personal fields cleared. */
function memberForPush(stored: StoredRow<MemberRow>): MemberRow {
  if (!stored.deleted && stored.row.status !== 'Deleted') return stored.row;
  return { ...stored.row, ...DELETED_PERSON };
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
