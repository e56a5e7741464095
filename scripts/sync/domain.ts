/**
 * The sync's names for its own things, once: object kinds, run types and statuses, sign-in methods, the
 * states of the scheduler, a check and the Slack receiver. A leaf (no imports, no code beyond constants):
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

/** How the live Slack source gets new activity between runs (the configuration's `slack.events`). */
export const SLACK_EVENT_MODES = ['off', 'http', 'socket-mode'] as const;
export type SlackEventMode = (typeof SLACK_EVENT_MODES)[number];

/** Whether a Slack Events API receiver is alive, as its liveness rows say. */
export type ReceiverState = 'receiving' | 'stopped' | 'silent' | 'none';
