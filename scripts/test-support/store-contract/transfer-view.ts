import type { MatchedObject } from '../../sync/ledger';
import { OBJECT_KINDS, type AsyncStore, type ObjectKind, type StoredRow } from '../../sync/store';

/** Keys the contract can only be asked about by name (settings, notes, files): what the view probes. */
export interface ViewProbe {
  sourceKeys?: string[];
  slackMetaKeys?: string[];
  bots?: string[];
  feedPaths?: string[];
  fingerprints?: string[];
}

const MATCHED: MatchedObject[] = ['Contact', 'Lead'];

/** One call after the other: thousands at once would queue for a pool's few connections and time out. */
async function inTurn<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await fn(item));
  return out;
}
const ALL = 1_000_000;

/**
 * Everything a store shows through the contract, in a form two stores can be compared by: run, job and
 * event ids (which an import may renumber) are replaced by their rank, every reference to a run or a job
 * by the rank of what it refers to.
 */
export async function contractView(store: AsyncStore, probe: ViewProbe = {}): Promise<Record<string, unknown>> {
  const { ledger, matchLedger } = store;
  const runs = (await ledger.runs(ALL)).reverse();
  const runRank = new Map(runs.map((r, i) => [r.id, i + 1]));
  const rank = (id: number | null) => (id === null ? null : (runRank.get(id) ?? `unknown run ${id}`));
  const jobs = (await inTurn(runs, (r) => ledger.jobsOfRun(r.id))).flat().sort((a, b) => a.id - b.id);
  const jobRank = new Map(jobs.map((j, i) => [j.id, i + 1]));
  const communities = await store.changedCommunities(0, ALL);
  const members = await store.changedMembers(0, ALL);
  const activities = await store.changedActivities(0, ALL);
  const ids: Record<ObjectKind, Array<StoredRow<{ tightknitId: string }>>> = {
    community: communities,
    member: members,
    activity: activities,
  };

  const perRun = [];
  for (const r of runs) {
    perRun.push({
      run: { ...r, id: rank(r.id), retryOf: rank(r.retryOf) },
      counts: await ledger.runCounts(r.id),
      jobs: (await ledger.jobsOfRun(r.id)).map((j) => ({ ...j, id: jobRank.get(j.id), runId: rank(j.runId) })),
      failed: (await ledger.failedOfRun(r.id)).map((f) => ({
        ...f,
        runId: rank(f.runId),
        jobId: f.jobId === null ? null : jobRank.get(f.jobId),
        resolvedRunId: rank(f.resolvedRunId),
      })),
      pending: (await ledger.pendingOfRun(r.id)).map((p) => ({
        ...p,
        runId: rank(p.runId),
        firstRunId: rank(p.firstRunId),
      })),
      events: (await ledger.eventsOfRun(r.id)).map(({ id: _id, ...e }) => ({ ...e, runId: rank(e.runId) })),
    });
  }
  const records: Record<string, unknown> = {};
  for (const kind of OBJECT_KINDS) {
    records[kind] = {
      watermark: await ledger.watermark(kind),
      inOrg: [...(await ledger.idsInOrg(kind))].sort(),
      sfIds: await inTurn(ids[kind], (r) => ledger.sfId(kind, r.row.tightknitId)),
      pendingIds: (await ledger.pendingIds(kind)).sort(),
      count: await ledger.countRecords(kind),
    };
  }
  const links = [];
  for (const m of members) {
    const link = await ledger.contactLink(m.row.tightknitId);
    links.push(link && { ...link, intentRunId: rank(link.intentRunId) });
  }
  const channels = [];
  for (const c of communities) {
    const cursors = store.slackCursors;
    channels.push({
      channels: await cursors.channels(c.row.tightknitId),
      newest: [...(await cursors.storedNewestMs(c.row.tightknitId))].sort(),
      meta: await Promise.all((probe.slackMetaKeys ?? []).map((k) => cursors.meta(c.row.tightknitId, k))),
      bots: await Promise.all((probe.bots ?? []).map((b) => cursors.botUser(c.row.tightknitId, b))),
    });
  }
  const writer = await store.beginWrite();
  const fingerprints = [];
  for (const c of communities) {
    for (const path of probe.fingerprints ?? []) fingerprints.push(await writer.fingerprint(c.row.tightknitId, path));
  }
  await writer.rollback();

  return {
    maxSeq: await store.maxSeq(),
    counts: await store.counts(),
    rows: { communities, members, activities },
    runs: perRun,
    unfinishedJobs: (await ledger.unfinishedJobs()).map((j) => jobRank.get(j.id)),
    pendingSummary: await ledger.pendingSummary(),
    recentEvents: (await ledger.recentEvents(ALL)).map(({ id: _id, ...e }) => ({ ...e, runId: rank(e.runId) })),
    records,
    links,
    matching: {
      watermarks: await Promise.all(MATCHED.map((o) => matchLedger.watermark(o))),
      waiting: (await matchLedger.waiting()).sort(),
      waitingCount: await matchLedger.waitingCount(),
    },
    inbox: {
      counts: await store.inbox.counts(),
      pending: await store.inbox.pending(ALL),
      unknown: await store.inbox.unknownTypes(),
    },
    receivers: await store.receivers.all(),
    channels,
    fingerprints,
    feeds: await Promise.all((probe.feedPaths ?? []).map((p) => store.feedPositions.get(p))),
    sourceState: await Promise.all((probe.sourceKeys ?? []).map((k) => store.sourceState.get(k))),
  };
}
