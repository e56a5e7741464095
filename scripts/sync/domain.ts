/**
 * The sync's names for its own things, once: object kinds, run types and statuses, sign-in methods, the
 * states of the scheduler, a check and the Slack receiver; and the shapes of the results a front end shows
 * as they are (a check report, a run of the history, an investigation). A leaf (no imports, no code beyond constants):
 * the core imports it, and so does the console's contract, which the browser build compiles too and so
 * cannot follow the core entry into Node code.
 */

/** What the sync pushes, in push order. */
export const OBJECT_KINDS = ['community', 'member', 'activity'] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

export type RunType = 'backfill' | 'incremental' | 'retry' | 'rescore' | 'rematch';
export type RunStatus = 'Running' | 'Succeeded' | 'Failed' | 'PartiallyFailed' | 'Stopped';

/** How the org was signed in to. */
export type AuthMethod = 'web' | 'jwt' | 'client-credentials' | 'sf-org';

/** What the scheduled syncs are doing, as a front end shows it. */
export type LoopState = 'stopped' | 'starting' | 'running' | 'waiting' | 'paused';

/** One line of the connection test. */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One check of `check` (the org, the state directory, the Slack source) and what fixes it. */
export interface CheckItem {
  id: string;
  label: string;
  status: CheckStatus;
  /** A failing blocking check stops `start`. */
  blocking: boolean;
  detail: string;
  fix?: string;
}

/** What `check` reports: every check, and whether none that blocks failed. */
export interface CheckReport {
  ok: boolean;
  username?: string;
  checks: CheckItem[];
}

/** How the live Slack source gets new activity between runs (the configuration's `slack.events`). */
export const SLACK_EVENT_MODES = ['off', 'http', 'socket-mode'] as const;
export type SlackEventMode = (typeof SLACK_EVENT_MODES)[number];

/** Whether a Slack Events API receiver is alive, as its liveness rows say. */
export type ReceiverState = 'receiving' | 'stopped' | 'silent' | 'none';

/** What a run did to one object's records. */
export interface ObjectCounts {
  processed: number;
  succeeded: number;
  failed: number;
  heldBack: number;
  deleted: number;
  truncated: number;
}

/** Objects a failed record can belong to: the three pushed kinds, plus Contacts the sync tried to create. */
export type FailedObject = ObjectKind | 'contact';

/** Why an error happened and what fixes it. */
export interface ErrorHint {
  cause: string;
  fix: string;
}

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
export interface JobItem {
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
export interface ErrorGroup {
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

/** What `investigate <run>` shows. */
export interface Investigation {
  run: RunListItem;
  jobs: Record<ObjectKind, JobItem[]>;
  errors: ErrorGroup[];
  /** Records this run held back that still wait, per object and reason. */
  heldBack: Array<{ object: ObjectKind; reason: string; count: number; sample: string[]; hint: ErrorHint | null }>;
  /** Run-level problems and notes (Contact not readable, resumed jobs, stops), each with a hint when known. */
  events: Array<{ at: string; type: string; code: string | null; message: string; hint: ErrorHint | null }>;
}
