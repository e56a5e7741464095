import {
  type Ledger,
  OBJECT_KINDS,
  type FailedObject,
  type JobRecord,
  type ObjectCounts,
  type RunStatus,
  type RunType,
} from './ledger';
import { UsageError } from './errors';
import { hintFor, type ErrorHint } from './push/hints';
import type { Store } from './store';
import type { ObjectKind } from './store/types';

/** One line of `history`. */
export interface RunListItem {
  runId: number;
  type: RunType;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  objects: Record<ObjectKind, ObjectCounts>;
  apiCalls: number;
  retryOf: number | null;
  message: string | null;
}

/** A Bulk job (or Collections call) as `investigate` shows it. */
interface JobItem {
  salesforceJobId: string | null;
  object: ObjectKind;
  operation: string;
  purpose: string;
  path: 'bulk' | 'collections';
  state: string;
  records: number;
  processed: number | null;
  failed: number | null;
  polls: number;
  errorMessage: string | null;
  createdAt: string;
  uploadedAt: string | null;
  finishedAt: string | null;
  resultsAt: string | null;
}

/** Failed records of one object with one error code, and what to do about them. */
interface ErrorGroup {
  object: FailedObject;
  code: string;
  count: number;
  /** How many of them a later run has fixed since. */
  resolved: number;
  hint: ErrorHint | null;
  /** A sample message (the first) and up to 20 records. */
  message: string;
  records: Array<{ externalId: string; error: string; resolvedByRun: number | null }>;
}

export interface Investigation {
  run: RunListItem;
  jobs: Record<ObjectKind, JobItem[]>;
  errors: ErrorGroup[];
  /** Records this run held back that still wait, per object and reason. */
  heldBack: Array<{ object: ObjectKind; reason: string; count: number; sample: string[]; hint: ErrorHint | null }>;
  /** Run-level problems and notes (Contact not readable, resumed jobs, stops), each with a hint when known. */
  events: Array<{ at: string; type: string; code: string | null; message: string; hint: ErrorHint | null }>;
}

export type HistoryEventType = 'paused' | 'resumed' | 'connected' | 'disconnected' | 'stopped';

/** One run of the history; RUN_NOT_FOUND (with the fix) when there is none. */
export function getRun(store: Store, runId: number): RunListItem {
  return toItem(store.ledger, runId);
}

/** Most recent runs first. */
export function listRuns(store: Store, limit = 20): RunListItem[] {
  const ledger = store.ledger;
  return ledger.runs(limit).map((r) => toItem(ledger, r.id));
}

function toItem(ledger: Ledger, runId: number): RunListItem {
  const r = ledger.run(runId);
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
    objects: ledger.runCounts(r.id),
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
export function investigateRun(store: Store, runId: number): Investigation {
  const ledger = store.ledger;
  const run = toItem(ledger, runId);
  const jobs: Record<ObjectKind, JobItem[]> = { community: [], member: [], activity: [] };
  for (const j of ledger.jobsOfRun(runId)) jobs[j.object].push(toJob(j));

  const groups = new Map<string, ErrorGroup>();
  for (const f of ledger.failedOfRun(runId)) {
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
  for (const p of ledger.pendingOfRun(runId)) {
    const reason = p.reason;
    const key = `${p.object}\u0000${reason}`;
    const h = held.get(key) ?? { object: p.object, reason, count: 0, sample: [], hint: hintFor('HELD_BACK') ?? null };
    h.count++;
    if (h.sample.length < 10) h.sample.push(p.waitingOn ? `${p.externalId} (waits for ${p.waitingOn})` : p.externalId);
    held.set(key, h);
  }
  const events = ledger.eventsOfRun(runId).map((e) => ({
    at: e.at,
    type: e.type,
    code: e.code,
    message: e.message,
    hint: e.code ? (hintFor(e.code, e.message) ?? null) : null,
  }));
  return { run, jobs, errors, heldBack: [...held.values()], events };
}

/** Writes a connection or schedule event into the history (shown by `history`). */
export function recordEvent(store: Store, type: HistoryEventType, message: string): void {
  store.ledger.addEvent(type, message);
}

/** Recent events not tied to a run (connect, pause, resume, ...), newest first. */
export function listEvents(
  store: Store,
  limit = 20,
): Array<{ at: string; type: string; message: string; runId: number | null }> {
  return store.ledger.recentEvents(limit).map((e) => ({ at: e.at, type: e.type, message: e.message, runId: e.runId }));
}

/** How many records wait for a parent, per object and reason (across runs). */
export function waitingSummary(store: Store): Array<{ object: ObjectKind; reason: string; count: number }> {
  return store.ledger.pendingSummary();
}
