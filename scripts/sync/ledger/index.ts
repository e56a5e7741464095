import type { FailedObject, ObjectCounts, RunStatus, RunType } from '../domain';
import type { ObjectKind } from '../store/types';

export { OBJECT_KINDS } from '../store/types';

/** What a run does: first full push, changes since the last, failed records again, new scores, new Contact links. */
export type { RunStatus, RunType } from '../domain';
export type { FailedObject, ObjectCounts } from '../domain';
type JobPath = 'bulk' | 'collections';
export type JobPurpose = 'push' | 'lock-retry' | 'delete' | 'retry' | 'touch';
export function emptyCounts(): ObjectCounts {
  return { processed: 0, succeeded: 0, failed: 0, heldBack: 0, deleted: 0, truncated: 0 };
}

export interface RunRecord {
  id: number;
  type: RunType;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  message: string | null;
  apiCalls: number;
  retryOf: number | null;
}

export interface JobRecord {
  id: number;
  runId: number;
  object: ObjectKind;
  operation: string;
  purpose: JobPurpose;
  path: JobPath;
  sfJobId: string | null;
  state: string;
  records: number;
  bytes: number;
  processed: number | null;
  failed: number | null;
  seqHi: number | null;
  polls: number;
  errorMessage: string | null;
  createdAt: string;
  uploadedAt: string | null;
  finishedAt: string | null;
  resultsAt: string | null;
}

export interface FailedRecord {
  runId: number;
  jobId: number | null;
  object: FailedObject;
  externalId: string;
  code: string;
  error: string;
  resolvedRunId: number | null;
}

export interface PendingRecord {
  object: ObjectKind;
  externalId: string;
  runId: number;
  firstRunId: number;
  reason: string;
  waitingOn: string | null;
}

export interface ContactLink {
  memberId: string;
  matchValue: string | null;
  status: string | null;
  contactId: string | null;
  leadId: string | null;
  createdContactId: string | null;
  intentRunId: number | null;
  /** The match rule that found the person ("Contact.Email"); null when none did. */
  rule: string | null;
}

export interface LedgerEvent {
  id: number;
  at: string;
  type: string;
  code: string | null;
  message: string;
  runId: number | null;
}

/** `CODE:message:fields` → CODE (job-level messages such as `InvalidBatch : Field name not found : X` too). */
export function errorCode(error: string): string {
  const m = /^\s*([A-Za-z_]+)\s*:/.exec(error);
  return m ? m[1] : 'UNKNOWN';
}

/** A Bulk job or Collections call as it is recorded before it is sent. */
export interface NewJob {
  runId: number;
  object: ObjectKind;
  operation: string;
  purpose: JobPurpose;
  path: JobPath;
  sfJobId: string | null;
  state: string;
  records: number;
  bytes: number;
  seqHi: number | null;
}

/** What a job's later steps record about it. */
export type JobPatch = Partial<
  Pick<
    JobRecord,
    'state' | 'processed' | 'failed' | 'polls' | 'errorMessage' | 'uploadedAt' | 'finishedAt' | 'resultsAt'
  >
>;

/** A Contact link the push decided for a member. */
export interface LinkDecision {
  memberId: string;
  matchValue: string | null;
  status: string;
  contactId: string | null;
  leadId: string | null;
  createdContactId?: string | null;
  /** The match rule that found the person ("Contact.Email"); null when none did. */
  rule?: string | null;
}

/**
 * The sync history and the push's bookkeeping, as the store keeps them: runs, Bulk jobs, pushed,
 * failed and held-back records, watermarks, Contact links and events. Every write method is atomic on
 * its own, so a process killed at any point leaves a consistent ledger.
 */
export interface Ledger {
  /** The ledger's clock (ISO-8601 UTC), for timestamps written with its records. */
  now(): string;

  // runs
  startRun(type: RunType, retryOf?: number | null): number;
  finishRun(runId: number, status: RunStatus, message: string | null, apiCalls: number): void;
  /** Runs left 'Running' by a process that died; they become 'Stopped' and their jobs are resumed. */
  closeInterruptedRuns(): number[];
  run(runId: number): RunRecord | undefined;
  /** The newest `limit` runs, newest first. */
  runs(limit: number): RunRecord[];
  lastRun(type?: RunType): RunRecord | undefined;
  addCounts(runId: number, object: ObjectKind, delta: Partial<ObjectCounts>): void;
  runCounts(runId: number): Record<ObjectKind, ObjectCounts>;

  // jobs (persisted before they are sent, so an interrupted run resumes them)
  createJob(job: NewJob): number;
  updateJob(id: number, patch: JobPatch): void;
  job(id: number): JobRecord | undefined;
  jobsOfRun(runId: number): JobRecord[];
  /** Bulk jobs whose results were never read (the process stopped or died while they ran). */
  unfinishedJobs(): JobRecord[];

  // pushed and failed records
  /** Salesforce ids of pushed records (external id, Salesforce id), atomically. */
  recordSuccesses(runId: number, object: ObjectKind, rows: ReadonlyArray<readonly [string, string]>): void;
  resolveFailures(runId: number, object: FailedObject, externalIds: Iterable<string>): void;
  /** External ids with a failure no later run fixed; with `codes`, only failures with one of those codes. */
  unresolvedFailureIds(object: FailedObject, codes?: readonly string[]): Set<string>;
  /** Failures (external id, error text); an older unresolved failure of the same record is superseded. */
  recordFailures(
    runId: number,
    jobId: number | null,
    object: FailedObject,
    rows: ReadonlyArray<readonly [string, string]>,
  ): void;
  /** Removes failures of a job (a lock-retry job that succeeded for these rows). */
  clearFailures(runId: number, object: ObjectKind, externalIds: Iterable<string>, code: string): void;
  failedOfRun(runId: number, unresolvedOnly?: boolean): FailedRecord[];
  sfId(object: ObjectKind, externalId: string): string | undefined;
  /** External ids of the object's records known to be in the org. */
  idsInOrg(object: ObjectKind): Set<string>;
  /** Written before a delete job is created: its results name records only by Salesforce id. */
  noteDeletes(runId: number, object: ObjectKind, rows: ReadonlyArray<{ ext: string; sfId: string }>): void;
  externalIdBySfId(object: ObjectKind, sfId: string): string | undefined;
  forgetRecords(object: ObjectKind, externalIds: Iterable<string>): void;
  countRecords(object: ObjectKind): number;

  // held back
  hold(
    runId: number,
    object: ObjectKind,
    rows: ReadonlyArray<{ externalId: string; reason: string; waitingOn: string | null }>,
  ): void;
  release(object: ObjectKind, externalIds: Iterable<string>): void;
  pendingIds(object: ObjectKind): string[];
  pendingOfRun(runId: number): PendingRecord[];
  pendingSummary(): Array<{ object: ObjectKind; reason: string; count: number }>;

  // watermarks: the change sequence up to which an object's changes are in the org
  watermark(object: ObjectKind): number;
  /** Moves forward only; written after the job's results were read and recorded. */
  setWatermark(object: ObjectKind, seq: number, runId: number): void;

  // contact links
  contactLink(memberId: string): ContactLink | undefined;
  /** Written before a Contact is created for these members, so a crash can be told apart from "never tried". */
  markContactIntent(runId: number, members: ReadonlyArray<{ memberId: string; matchValue: string }>): void;
  saveContactLinks(runId: number, links: ReadonlyArray<LinkDecision>): void;

  // events
  addEvent(type: string, message: string, runId?: number | null, code?: string | null): void;
  eventsOfRun(runId: number): LedgerEvent[];
  /** The newest `limit` events, newest first. */
  recentEvents(limit: number): LedgerEvent[];

  // batch look-ups: one call per page of records where the push used to ask record by record
  /** The Salesforce ids of those of `externalIds` that are in the org (the others are not in the map). */
  sfIds(object: ObjectKind, externalIds: readonly string[]): Map<string, string>;
  /** The Contact links of those of `memberIds` that have one (the others are not in the map). */
  contactLinks(memberIds: readonly string[]): Map<string, ContactLink>;
}

/** A person the CRM matched whose Contact/Lead change tracking is by object. */
export type MatchedObject = 'Contact' | 'Lead';

/**
 * The matching side of the ledger: Contact/Lead change watermarks, members waiting for a full look-up,
 * and the look-ups of known links by value, Contact and Lead that relate a CRM change to the members it
 * affects.
 */
export interface MatchLedger {
  watermark(object: MatchedObject): string | null;
  /** Moves forward only: an older stamp (a re-read overlap) never moves it back. */
  setWatermark(object: MatchedObject, stamp: string, runId: number): void;
  /** Forgets the watermarks: the next run starts change tracking afresh (after a full re-match). */
  clearWatermarks(): void;
  /** The SystemModstamp at which a changed person was last applied (only within the overlap window). */
  seenStamp(object: MatchedObject, id: string): string | null;
  /** After a scan's effects are recorded: forgets what the next scan no longer reads, remembers what it will. */
  recordSeen(object: MatchedObject, seen: ReadonlyArray<{ id: string; stamp: string }>, mark: string): void;
  waiting(): string[];
  /** Members waiting for a full look-up; with `reason`, only those waiting for that reason (e.g. MATCHING_UNAVAILABLE). */
  waitingCount(reason?: string): number;
  addWaiting(runId: number, memberIds: Iterable<string>, reason: string): void;
  /** Every member in the org waits for a full look-up (a rematch after the rules changed); returns how many. */
  allMembersWait(runId: number, reason: string): number;
  removeWaiting(memberIds: Iterable<string>): void;
  /** Known links of members whose match value (lower-cased e-mail) is one of `values`. */
  linksByValue(values: Iterable<string>): ContactLink[];
  linksByContact(ids: Iterable<string>): ContactLink[];
  linksByLead(ids: Iterable<string>): ContactLink[];
}
