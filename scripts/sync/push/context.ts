import type { SyncConfig } from '../config';
import type { AsyncLedger, AsyncMatchLedger } from '../store';
import { BulkIngest, DEFAULT_POLL, type PollPolicy } from '../salesforce/bulk';
import { MAX_UPLOAD_BYTES } from '../salesforce/csv';
import { BULK_MATCH_THRESHOLD, PersonDescribes, type MatchingUnavailableError } from '../salesforce/matching';
import { sessionOf } from '../salesforce/client';
import { SalesforceHttp, type RetryPolicy, type SalesforceSession } from '../salesforce/http';
import type { AsyncStore } from '../store';
import type { ObjectKind } from '../store/types';

/**
 * Error codes that mean "not now" rather than "not like this": row lock contention that outlasted the
 * follow-up jobs, and job-level server trouble. Records that failed with them go again with the next run.
 */
const TRANSIENT_ERROR_CODES: readonly string[] = [
  'UNABLE_TO_LOCK_ROW',
  'TooManyLockFailure',
  'InternalServerError',
  'SERVER_UNAVAILABLE',
];

export interface PushProgress {
  object: ObjectKind;
  phase: 'matching' | 'uploading' | 'processing' | 'results' | 'done';
  processed: number;
  total: number;
  bytes?: number;
  jobId?: string;
}

/** Knobs with production defaults; tests shrink them (fast polling, tiny jobs). */
export interface PushTuning {
  poll: PollPolicy;
  retry: Partial<RetryPolicy>;
  /** Raw CSV bytes per job (default 100 MB, Salesforce's upload ceiling). */
  maxJobBytes: number;
  /** Rows per job (default 10 million; SERIAL_JOB_ROWS when a Bulk hook runs an object's jobs one after another). */
  maxJobRows: number;
  /** Deltas of at most this many rows go through one sObject Collections call instead of a Bulk job (default 200; 0 = always Bulk). */
  collectionsThreshold: number;
  /** Follow-up jobs for UNABLE_TO_LOCK_ROW rows (default 3). */
  lockRetries: number;
  /**
   * Rows read from the store per page (default 1,000). A page is alive while its rows are turned into
   * CSV; kept small, it dies in the young generation instead of being promoted (5,000-row pages were,
   * and V8 let that garbage grow the old generation to ~300 MB of RSS on a 1M-row backfill).
   */
  pageSize: number;
  /** Distinct e-mails from which Contact/Lead matching uses one Bulk query job instead of chunked SOQL (default 2,000). */
  bulkMatchThreshold: number;
}

const DEFAULT_TUNING: PushTuning = {
  poll: DEFAULT_POLL,
  retry: {},
  maxJobBytes: MAX_UPLOAD_BYTES - 64 * 1024,
  maxJobRows: 10_000_000,
  collectionsThreshold: 200,
  lockRetries: 3,
  pageSize: 1_000,
  bulkMatchThreshold: BULK_MATCH_THRESHOLD,
};

/**
 * Rows per Bulk file when a hook runs an object's jobs one after another (server mode's per-org lock).
 * Salesforce then works on one job of the object at a time, and the push's own work overlaps it only
 * job by job: it spools the next file and reads the last job's results while a job runs. Files of
 * 100 MB (about 490,000 activities) put a whole file's spooling before the first job and a whole job's
 * results after the last; at 100,000 rows both are a fifth as long, for about 6 more API calls per
 * 100,000 rows. bench:pg-push with the lock, 1,000,000 activities: 39.6 s at 100 MB, 34.4 s at
 * 100,000 rows, 38.3 s at 50,000 (the calls add up). Embedded mode runs an object's jobs side by side
 * and keeps 100 MB files (fewer calls).
 */
export const SERIAL_JOB_ROWS = 100_000;

/** The push's tuning: the defaults, the serial job size under a Bulk hook, then the caller's own settings. */
export function pushTuning(given: Partial<PushTuning> | undefined, serial: boolean): PushTuning {
  return { ...DEFAULT_TUNING, ...(serial ? { maxJobRows: SERIAL_JOB_ROWS } : {}), ...given };
}

/**
 * Wraps one Bulk ingest job of `object` (the sObject's API name) from the completion of its upload (when
 * Salesforce starts on it) until Salesforce has finished it; it is created and uploaded before, while the
 * job ahead of it runs, and its results are read after, outside. The follow-up jobs of rows that failed
 * on a row lock take it once more. Server mode's per-org Bulk lock. Resolves with what `run` resolves.
 */
export type BulkJobHook = <T>(object: string, run: () => Promise<T>) => Promise<T>;

/** Everything one run carries around. */
export class RunContext {
  readonly http: SalesforceHttp;
  readonly bulk: BulkIngest;
  readonly nowIso: string;
  /** Contact and Lead describes, read once per run by the match rules. */
  readonly describes: PersonDescribes;
  readonly matchLedger: AsyncMatchLedger;
  /** Set when matching could not run in this run: the run then ends PartiallyFailed. */
  matchingProblem: MatchingUnavailableError | null = null;
  /** Contact/Lead change tracking that starts with this run: the newest SystemModstamp before its look-ups. */
  readonly startStamps = new Map<'Contact' | 'Lead', string>();
  /** Failures nobody fixed yet and held-back records, per object: a success clears them. */
  // Loaded once per object and kept current by this run (the Promise is kept, so two callers share one load).
  private readonly unresolved = new Map<ObjectKind, Promise<Set<string>>>();
  private readonly pending = new Map<ObjectKind, Promise<Set<string>>>();
  private readonly transient = new Map<ObjectKind, Promise<Set<string>>>();
  /**
   * The end of this run's time slice (ms since the epoch), or undefined (no slice: the run goes to the
   * end). Past it, a push stops at the next Bulk job or object boundary, once it has moved on at all.
   */
  sliceUntil: number | undefined;
  /** A note that leads the run's message (a continued backfill names the run it continues). */
  note: string | null = null;
  /** Whether this run has recorded progress a continuation builds on: a Bulk job sent, an object done. */
  progressed = false;

  constructor(
    readonly store: AsyncStore,
    readonly ledger: AsyncLedger,
    connection: SalesforceSession | SalesforceHttp,
    readonly config: SyncConfig,
    readonly runId: number,
    readonly tuning: PushTuning,
    readonly now: Date,
    readonly signal: AbortSignal | undefined,
    private readonly progress: ((p: PushProgress) => void) | undefined,
    readonly bulkJob?: BulkJobHook,
  ) {
    this.http = new SalesforceHttp(sessionOf(connection), tuning.retry);
    this.bulk = new BulkIngest(this.http, tuning.poll);
    this.nowIso = now.toISOString();
    this.describes = new PersonDescribes(this.http);
    this.matchLedger = store.matchLedger;
  }

  /**
   * Matching could not run (no access to Contact, Lead or a rule's field): the members' links wait for the
   * first run after the fix, and the run records the problem once, with its code, cause and fix.
   */
  async matchingUnavailable(err: MatchingUnavailableError, waitingMembers: Iterable<string>): Promise<void> {
    await this.matchLedger.addWaiting(this.runId, waitingMembers, err.code);
    if (this.matchingProblem) return;
    this.matchingProblem = err;
    await this.ledger.addEvent(
      'failed',
      `${err.message} Member links were left unchanged until this is fixed.`,
      this.runId,
      err.code,
    );
  }

  get stopped(): boolean {
    return this.signal?.aborted === true;
  }

  /** The slice is over: its end passed and the run has moved on (so a continuation never repeats it whole). */
  sliceOver(): boolean {
    return this.sliceUntil !== undefined && this.progressed && Date.now() >= this.sliceUntil;
  }

  report(p: PushProgress): void {
    this.progress?.(p);
  }

  unresolvedOf(kind: ObjectKind): Promise<Set<string>> {
    let set = this.unresolved.get(kind);
    if (!set) {
      set = this.ledger.unresolvedFailureIds(kind);
      this.unresolved.set(kind, set);
    }
    return set;
  }

  /**
   * Failed records whose error says "try again later" (lock contention, a Salesforce server error):
   * the next run sends them again by itself; other failures wait for `retry` after their fix.
   */
  transientFailuresOf(kind: ObjectKind): Promise<Set<string>> {
    let ids = this.transient.get(kind);
    if (!ids) {
      ids = this.ledger.unresolvedFailureIds(kind, TRANSIENT_ERROR_CODES);
      this.transient.set(kind, ids);
    }
    return ids;
  }

  pendingOf(kind: ObjectKind): Promise<Set<string>> {
    let set = this.pending.get(kind);
    if (!set) {
      set = this.ledger.pendingIds(kind).then((ids) => new Set(ids));
      this.pending.set(kind, set);
    }
    return set;
  }

  /** Records pushed successfully: Salesforce ids stored, earlier failures and holds of the same records cleared. */
  async succeeded(kind: ObjectKind, rows: ReadonlyArray<readonly [string, string]>): Promise<void> {
    if (rows.length === 0) return;
    await this.ledger.recordSuccesses(this.runId, kind, rows);
    const unresolved = await this.unresolvedOf(kind);
    const pending = await this.pendingOf(kind);
    const fixed: string[] = [];
    const released: string[] = [];
    for (const [ext] of rows) {
      if (unresolved.delete(ext)) fixed.push(ext);
      if (pending.delete(ext)) released.push(ext);
    }
    if (fixed.length > 0) await this.ledger.resolveFailures(this.runId, kind, fixed);
    if (released.length > 0) await this.ledger.release(kind, released);
  }

  /** Records that failed: kept (per run) for investigate and retry; a failed record is no longer "held back". */
  async failed(
    runId: number,
    jobId: number | null,
    kind: ObjectKind,
    rows: ReadonlyArray<readonly [string, string]>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.ledger.recordFailures(runId, jobId, kind, rows);
    const unresolved = await this.unresolvedOf(kind);
    const pending = await this.pendingOf(kind);
    const released: string[] = [];
    for (const [ext] of rows) {
      unresolved.add(ext);
      if (pending.delete(ext)) released.push(ext);
    }
    if (released.length > 0) await this.ledger.release(kind, released);
  }

  async hold(
    kind: ObjectKind,
    rows: ReadonlyArray<{ externalId: string; reason: string; waitingOn: string | null }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.ledger.hold(this.runId, kind, rows);
    const pending = await this.pendingOf(kind);
    for (const r of rows) pending.add(r.externalId);
  }
}
