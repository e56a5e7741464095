/**
 * The console's JSON API: the shapes the server sends and the browser reads. Types only, so the browser
 * build and the Node server share them; the names of the sync's own things (object kinds, run types and
 * statuses, sign-in methods, the scheduler's, a check's and the receiver's states) and the shapes of a
 * check report, a run and an investigation come from the core's leaf module scripts/sync/domain.ts, the
 * one module here that both builds can read. The server maps the core functions' other results onto these
 * shapes and tsc checks that the two agree.
 *
 * Every error answer is `ApiError` with a 4xx/5xx status. Validation errors (400) list each bad field.
 */
import type {
  AuthMethod,
  CheckItem,
  CheckReport,
  CheckStatus,
  ErrorGroup,
  ErrorHint,
  Investigation,
  JobItem,
  LoopState,
  ObjectCounts,
  ObjectKind,
  ReceiverState,
  RunListItem,
  RunStatus,
  RunType,
  SlackEventMode,
} from '../sync/domain';

export type ObjectName = ObjectKind;
export type AuthMethodName = AuthMethod;
export type RunTypeName = RunType;
export type RunStatusName = RunStatus;

export interface FieldError {
  /** The request field, as sent: `intervalMinutes`, `engagement.weights.post_created`, `loginUrl`. */
  field: string;
  reason: string;
}

export interface ApiError {
  error: {
    code: string;
    message: string;
    /** What the user can do about it, in order. */
    actions: string[];
    fields?: FieldError[];
  };
}

export interface ConnectionView {
  method: AuthMethodName;
  loginUrl: string;
  instanceUrl: string;
  username?: string;
  orgId?: string;
  connectedAt: string;
}

export interface ConfigView {
  createContacts: boolean;
  activityMetadata: boolean;
  matchingField: string;
  matchLeads: boolean;
  /** The match rules as configured ("Contact.Email", …); absent when the older matchingField/matchLeads apply. */
  matchRules?: string[];
  /** The rules the sync uses, in order: `matchRules`, else Contact.<matchingField> and Lead.Email (Lead matching on). */
  matchRulesInForce: string[];
  intervalMinutes: number;
  engagement: {
    weights: Record<string, number>;
    thresholds: { champion: number; high: number; medium: number };
  };
  slack: SlackSourceConfigView;
}

/**
 * How the live Slack source gets new activity between runs: `off` = each run polls the Web API;
 * `http` = the Events API POSTs to `tightknit-sync listen`; `socket-mode` = the Events API over Socket Mode.
 */
export type SlackEventsName = SlackEventMode;

export interface SlackSourceConfigView {
  events: SlackEventsName;
  listenPort: number | null;
  listenHost: string;
  /** Private channels the app was added to are synced too (needs groups:read and groups:history). */
  includePrivate: boolean;
}

/** PUT /api/config: any subset; weights and thresholds merge into the stored ones. */
export interface ConfigChange {
  createContacts?: boolean;
  activityMetadata?: boolean;
  matchingField?: string;
  matchLeads?: boolean;
  /**
   * Ordered rules, Contact rules before Lead rules; replaces the stored ones. Checked against the org when
   * connected (400 INVALID_MATCH_RULES on the field `matchRules`, nothing saved).
   */
  matchRules?: string[];
  intervalMinutes?: number;
  engagement?: {
    weights?: Record<string, number>;
    thresholds?: Partial<{ champion: number; high: number; medium: number }>;
  };
  /** Merges into the stored `slack` object. */
  slack?: Partial<SlackSourceConfigView>;
}

/** POST /api/connection. `web` answers 202 with the URL to open; the others connect at once. */
export interface ConnectRequest {
  method: 'client-credentials' | 'jwt' | 'web';
  loginUrl: string;
  clientId: string;
  /** client-credentials (and web, when the app requires it). */
  clientSecret?: string;
  /** jwt: the integration user's username and the path of the PEM private key on the console's machine. */
  username?: string;
  keyFile?: string;
  /** web: the registered loopback callback (default http://localhost:1717/OauthRedirect). */
  callbackUrl?: string;
}

export interface ConnectStarted {
  /** The Salesforce sign-in page; the browser opens it in a new tab. */
  authorizeUrl: string;
}

/**
 * POST /api/slack: the Slack app's values, pasted by the operator. Stored encrypted; never sent back,
 * never logged. A reconnect of the same workspace without a signing secret or app token keeps the stored one.
 */
export interface SlackConnectRequest {
  /** Bot User OAuth Token, xoxb-… */
  botToken: string;
  /** For events over HTTP (`tightknit-sync listen`). */
  signingSecret?: string;
  /** App-level token, xapp-…, for Socket Mode. */
  appToken?: string;
}

/** The connected Slack workspace, as stored in clear (no secret). */
export interface SlackWorkspaceView {
  teamId: string;
  teamName: string;
  domain: string | null;
  url: string | null;
  connectedAt: string;
  hasSigningSecret: boolean;
  hasAppToken: boolean;
}

/** POST /api/slack answer. */
export interface SlackConnectView {
  slack: SlackWorkspaceView;
  /** The bot token's scopes as Slack reported them (null when it did not say). */
  scopes: string[] | null;
  /** Values kept from the previous connection to the same workspace. */
  kept: Array<'signingSecret' | 'appToken'>;
}

/** DELETE /api/slack answer. */
export interface SlackDisconnectView {
  disconnected: boolean;
  teamId?: string;
  teamName?: string;
}

/** The live community source's state and how far behind the store is (GET /api/status `source`). */
export type ReceiverStateName = ReceiverState;

export interface SourceView {
  /** The connected workspace; null when none is. */
  slack: SlackWorkspaceView | null;
  events: SlackEventsName;
  /** The whole workspace was read once. */
  firstImportDone: boolean;
  lastCatchUpAt: string | null;
  /** The last catch-up's failure (cleared by the next good one), with what to do about it. */
  lastError: { at: string; code: string; message: string; actions: string[] } | null;
  /** Events received and stored, not yet applied (the next run applies them). */
  pendingEvents: number;
  lastEventAt: string | null;
  /**
   * The Events API receiver storing into this state directory, as it last said: receiving, stopped (it
   * closed), silent (not heard from for 90 s: it died), none (never started). Events on and not receiving:
   * every run reads the Web API instead.
   */
  receiver: { state: ReceiverStateName; mode: string | null; address: string | null; seenAt: string | null };
  /**
   * Seconds behind: since the oldest waiting event, or (polling, or events on with no receiver) since the last
   * Web API read; null before any.
   */
  lagSeconds: number | null;
  /** What the last catch-up of this console's schedule brought in (since the console started). */
  lastCatchUp: { at: string; text: string; eventsApplied: number; readIncomplete: boolean } | null;
  /** Where this console receives events itself while its schedule runs ("Socket Mode", a URL); null otherwise. */
  receiving: string | null;
}

export type CheckStatusName = CheckStatus;

/** A check and the report of `check` (POST /api/connection/check, /api/slack/check): the core's shapes. */
export type CheckView = CheckItem;
export type CheckReportView = CheckReport;

export interface VerifyView {
  ok: boolean;
  requiredVersion: string;
  installed?: { name: string; namespace: string; version: string };
  objects: Array<{ name: string; fields: number; missingFields: string[]; found: boolean }>;
  problems: Array<{ code: string; message: string; fix: string }>;
}

/**
 * A run and an investigation as the core returns them (`listRuns`, `investigateRun`): the shapes are the
 * core's own, declared in domain.ts, so the console shows what `history --json` and `investigate --json` do.
 */
export type ObjectCountsView = ObjectCounts;
export type RunView = RunListItem;
export type HintView = ErrorHint;
export type JobView = JobItem;
export type ErrorGroupView = ErrorGroup;
export type InvestigationView = Investigation;

/** One object's progress in the run under way; rate and ETA are null until they can be estimated. */
export interface ObjectProgressView {
  object: ObjectName;
  phase: 'waiting' | 'matching' | 'uploading' | 'processing' | 'results' | 'done';
  processed: number;
  total: number;
  ratePerSecond: number | null;
  etaSeconds: number | null;
}

export interface ActivityView {
  /** What is running: a scheduled run, or a retry or re-match the operator asked for. */
  runType: RunTypeName;
  /** For a retry: the run whose records are sent again. */
  retryOf?: number;
  startedAt: string;
  objects: ObjectProgressView[];
}

export type SchedulerState = LoopState;

export interface SchedulerView {
  state: SchedulerState;
  /** The pause switch (a state file: it holds for `start` in a terminal too). */
  paused: boolean;
  intervalMinutes: number;
  nextRunAt: string | null;
  /** The last error a scheduled run hit (the loop goes on at the next interval). */
  lastError: { code: string; message: string; actions: string[] } | null;
  /** Another process (`tightknit-sync start` in a terminal) holds the state directory. */
  heldBy: { pid: number; command: string } | null;
}

export interface StoreView {
  communities: number;
  members: number;
  activities: number;
}

/** GET /api/status and every `status` server-sent event. */
export interface StatusView {
  /**
   * When the server built this status: `seq` grows with every status one console process builds. An answer to a
   * request can reach the page after a newer server-sent status; the page keeps the newer one (same `server`).
   */
  revision: { server: string; seq: number };
  stateDir: string;
  connection: ConnectionView | null;
  /** A web sign-in waiting for the browser to come back to the callback. */
  pendingLogin: { authorizeUrl: string; startedAt: string } | null;
  /** The last web sign-in's failure, until the next attempt. */
  loginError: ApiError['error'] | null;
  config: ConfigView;
  backfilled: boolean;
  store: StoreView;
  /**
   * Members whose Contact/Lead link waits for matching: the org refused to let the sync read Contact, Lead or a
   * match rule's field (a run event MATCHING_UNAVAILABLE says which); the next run links them once it can.
   */
  waitingLinks: number;
  scheduler: SchedulerView;
  activity: ActivityView | null;
  lastRun: RunView | null;
  /** The live community source (Slack). */
  source: SourceView;
}

/** DELETE /api/connection */
export interface DisconnectView {
  revoked: boolean;
  note?: string;
  username?: string;
  instanceUrl: string;
}

/** POST /api/sync/start */
export interface StartRequest {
  /** Start even when a blocking check fails (not recommended; the CLI's --skip-checks). */
  skipChecks?: boolean;
}
