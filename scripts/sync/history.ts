import type { ErrorGroup, ErrorHint, FailedObject, Investigation, JobItem, ObjectKind, RunListItem } from './domain';
import { OBJECT_KINDS, type JobRecord } from './ledger';
import { UsageError } from './errors';
import { hintFor } from './push/hints';
import type { AsyncStore } from './store';

export type { Investigation, RunListItem } from './domain';

export type HistoryEventType = 'paused' | 'resumed' | 'connected' | 'disconnected' | 'stopped';

/** One run of the history; RUN_NOT_FOUND (with the fix) when there is none. */
export async function getRun(store: AsyncStore, runId: number): Promise<RunListItem> {
  return toItem(store.ledger, runId);
}

/** Most recent runs first. */
export async function listRuns(store: AsyncStore, limit = 20): Promise<RunListItem[]> {
  const ledger = store.ledger;
  const items: RunListItem[] = [];
  for (const r of await ledger.runs(limit)) items.push(await toItem(ledger, r.id));
  return items;
}

async function toItem(ledger: AsyncStore['ledger'], runId: number): Promise<RunListItem> {
  const r = await ledger.run(runId);
  if (!r)
    throw new UsageError('RUN_NOT_FOUND', `There is no run ${runId} in the sync history.`, {
      actions: ['List runs with `tightknit-sync history`.'],
    });
  return {
    runId: r.id,
    type: r.type,
    status: r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationMs: r.finishedAt ? Date.parse(r.finishedAt) - Date.parse(r.startedAt) : null,
    objects: await ledger.runCounts(r.id),
    apiCalls: r.apiCalls,
    retryOf: r.retryOf,
    message: r.message,
  };
}

function toJob(j: JobRecord): JobItem {
  return {
    salesforceJobId: j.sfJobId,
    object: j.object,
    operation: j.operation,
    purpose: j.purpose,
    path: j.path,
    state: j.state,
    records: j.records,
    processed: j.processed,
    failed: j.failed,
    polls: j.polls,
    errorMessage: j.errorMessage,
    createdAt: j.createdAt,
    uploadedAt: j.uploadedAt,
    finishedAt: j.finishedAt,
    resultsAt: j.resultsAt,
  };
}

/** Everything about one run: its jobs per object, failed records grouped by error code with a cause and a fix, what it held back. */
export async function investigateRun(store: AsyncStore, runId: number): Promise<Investigation> {
  const ledger = store.ledger;
  const run = await toItem(ledger, runId);
  const jobs: Record<ObjectKind, JobItem[]> = { community: [], member: [], activity: [] };
  for (const j of await ledger.jobsOfRun(runId)) jobs[j.object].push(toJob(j));

  const groups = new Map<string, ErrorGroup>();
  for (const f of await ledger.failedOfRun(runId)) {
    const key = `${f.object}\u0000${f.code}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        object: f.object,
        code: f.code,
        count: 0,
        resolved: 0,
        hint: hintFor(f.code, f.error) ?? null,
        message: f.error,
        records: [],
      };
      groups.set(key, g);
    }
    g.count++;
    if (f.resolvedRunId !== null) g.resolved++;
    if (g.records.length < 20)
      g.records.push({ externalId: f.externalId, error: f.error, resolvedByRun: f.resolvedRunId });
  }
  const order = (o: FailedObject): number => (o === 'contact' ? 1.5 : OBJECT_KINDS.indexOf(o));
  const errors = [...groups.values()].sort((a, b) => order(a.object) - order(b.object) || b.count - a.count);

  const held = new Map<
    string,
    { object: ObjectKind; reason: string; count: number; sample: string[]; hint: ErrorHint | null }
  >();
  for (const p of await ledger.pendingOfRun(runId)) {
    const reason = p.reason;
    const key = `${p.object}\u0000${reason}`;
    const h = held.get(key) ?? { object: p.object, reason, count: 0, sample: [], hint: hintFor('HELD_BACK') ?? null };
    h.count++;
    if (h.sample.length < 10) h.sample.push(p.waitingOn ? `${p.externalId} (waits for ${p.waitingOn})` : p.externalId);
    held.set(key, h);
  }
  const events = (await ledger.eventsOfRun(runId)).map((e) => ({
    at: e.at,
    type: e.type,
    code: e.code,
    message: e.message,
    hint: e.code ? (hintFor(e.code, e.message) ?? null) : null,
  }));
  return { run, jobs, errors, heldBack: [...held.values()], events };
}

/** Writes a connection or schedule event into the history (shown by `history`). */
export async function recordEvent(store: AsyncStore, type: HistoryEventType, message: string): Promise<void> {
  await store.ledger.addEvent(type, message);
}

/** Recent events not tied to a run (connect, pause, resume, ...), newest first. */
export async function listEvents(
  store: AsyncStore,
  limit = 20,
): Promise<Array<{ at: string; type: string; message: string; runId: number | null }>> {
  return (await store.ledger.recentEvents(limit)).map((e) => ({
    at: e.at,
    type: e.type,
    message: e.message,
    runId: e.runId,
  }));
}

/** How many records wait for a parent, per object and reason (across runs). */
function waitingSummary(store: AsyncStore): Promise<Array<{ object: ObjectKind; reason: string; count: number }>> {
  return store.ledger.pendingSummary();
}

/** What `history` shows: the recent runs, the records waiting for a parent, and recent events not tied to a run. */
export interface RecentHistory {
  runs: RunListItem[];
  waiting: Awaited<ReturnType<typeof waitingSummary>>;
  events: Awaited<ReturnType<typeof listEvents>>;
}

/** Events read to find the recent ones not tied to a run (a run's own events are its investigation's). */
const RECENT_EVENTS = 10;

/** The last `limit` runs, what waits, and the recent events not tied to a run (connect, pause, resume...). */
export async function recentHistory(store: AsyncStore, limit = 20): Promise<RecentHistory> {
  return {
    runs: await listRuns(store, limit),
    waiting: await waitingSummary(store),
    events: (await listEvents(store, RECENT_EVENTS)).filter((e) => e.runId === null),
  };
}
