/* eslint-disable @typescript-eslint/no-require-imports -- each command module is required only when it runs */
import type { Command } from 'commander';

/**
 * A command as `tightknit-sync --help` lists it, and how to load it. Listing needs no command module:
 * loading them all costs half a second (the Salesforce, Slack, SQLite and HTTP stacks), so only the
 * module of the command that runs is required. A test keeps `term` and `summary` equal to what the
 * module registers.
 */
export interface CommandEntry {
  name: string;
  /** The command's line in the help list, as commander renders it from the module. */
  term: string;
  /** The module's `.description()`. */
  summary: string;
  /** Requires the command's module and lets it add its flags and action to `program`. */
  register: (program: Command) => void;
}

/** In the order of design.md's command table. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'ingest',
    term: 'ingest [options] <path>',
    summary: 'import a Slack export (folder or .zip) or an NDJSON event feed into the store',
    register: (program) => (require('./ingest') as typeof import('./ingest')).register(program),
  },
  {
    name: 'connect',
    term: 'connect [options]',
    summary: 'authorize an org: web login with PKCE (default), --jwt, --client-credentials, or --target-org',
    register: (program) => (require('./connect') as typeof import('./connect')).register(program),
  },
  {
    name: 'connect-slack',
    term: 'connect-slack',
    summary:
      'connect a Slack workspace (token from TIGHTKNIT_SLACK_BOT_TOKEN); checks it with auth.test, stores it encrypted',
    register: (program) => (require('./connect-slack') as typeof import('./connect-slack')).register(program),
  },
  {
    name: 'verify',
    term: 'verify',
    summary: 'confirm the managed package is installed (version, objects, fields)',
    register: (program) => (require('./verify') as typeof import('./verify')).register(program),
  },
  {
    name: 'check',
    term: 'check [options]',
    summary: 'connection test as the integration user; each failed check says how to fix it',
    register: (program) => (require('./check') as typeof import('./check')).register(program),
  },
  {
    name: 'configure',
    term: 'configure [options]',
    summary: 'set sync options (validated; shows the configuration when no option is given)',
    register: (program) => (require('./configure') as typeof import('./configure')).register(program),
  },
  {
    name: 'start',
    term: 'start [options]',
    summary: 'review and start: backfill if never done, then incremental syncs every interval (foreground)',
    register: (program) => (require('./start') as typeof import('./start')).register(program),
  },
  {
    name: 'sync',
    term: 'sync [options]',
    summary: 'one pass and exit: a backfill if never done (or with --backfill), else an incremental sync',
    register: (program) => (require('./sync') as typeof import('./sync')).register(program),
  },
  {
    name: 'rematch',
    term: 'rematch',
    summary:
      'look every unlocked member up again with the current match rules and push the links that change (after changing the rules)',
    register: (program) => (require('./rematch') as typeof import('./rematch')).register(program),
  },
  {
    name: 'history',
    term: 'history [options]',
    summary: 'recent runs: type, status, duration, records per object (ok/failed/held back)',
    register: (program) => (require('./history') as typeof import('./history')).register(program),
  },
  {
    name: 'investigate',
    term: 'investigate <run-id>',
    summary: 'one run in detail: Bulk jobs per object, failed records grouped by error with cause and fix',
    register: (program) => (require('./investigate') as typeof import('./investigate')).register(program),
  },
  {
    name: 'retry',
    term: 'retry <run-id>',
    summary: 're-push the failed records of a run (after fixing the cause)',
    register: (program) => (require('./retry') as typeof import('./retry')).register(program),
  },
  {
    name: 'pause',
    term: 'pause [options]',
    summary: 'stop scheduled syncs without disconnecting (a running `start` obeys on its next tick)',
    register: (program) => (require('./pause') as typeof import('./pause')).register(program),
  },
  {
    name: 'resume',
    term: 'resume',
    summary: 'restart scheduled syncs after `pause`',
    register: (program) => (require('./resume') as typeof import('./resume')).register(program),
  },
  {
    name: 'disconnect',
    term: 'disconnect',
    summary: 'revoke the token at the org and forget the connection (the store and history stay)',
    register: (program) => (require('./disconnect') as typeof import('./disconnect')).register(program),
  },
  {
    name: 'disconnect-slack',
    term: 'disconnect-slack',
    summary: 'forget the Slack workspace: delete its stored tokens and signing secret (the store stays)',
    register: (program) => (require('./disconnect-slack') as typeof import('./disconnect-slack')).register(program),
  },
  {
    name: 'listen',
    term: 'listen [options]',
    summary: 'receive the Slack Events API into the store’s inbox: POST /slack/events, or --socket-mode',
    register: (program) => (require('./listen') as typeof import('./listen')).register(program),
  },
  {
    name: 'console',
    term: 'console [options]',
    summary: 'the operator console in a browser: connect, configure, backfill, watch, investigate',
    register: (program) => (require('./console') as typeof import('./console')).register(program),
  },
  {
    name: 'emulator',
    term: 'emulator [options]',
    summary: 'run the local org emulator (a test double of a Salesforce org; --orgs N: N orgs) in the foreground',
    register: (program) => (require('./emulator') as typeof import('./emulator')).register(program),
  },
  {
    name: 'demo',
    term: 'demo [options]',
    summary: 'the whole product with no org: emulator + sample community + full sync + what a rep sees',
    register: (program) => (require('./demo') as typeof import('./demo')).register(program),
  },
  {
    name: 'tenants',
    term: 'tenants',
    summary: 'server mode: add, list and remove tenants (a community + its org)',
    register: (program) => (require('./tenants') as typeof import('./tenants')).register(program),
  },
  {
    name: 'migrate-state',
    term: 'migrate-state',
    summary: 'server mode: move a state directory (store, history, credentials, configuration) into an empty tenant',
    register: (program) => (require('./migrate-state') as typeof import('./migrate-state')).register(program),
  },
  {
    name: 'serve',
    term: 'serve [options]',
    summary: 'server mode: worker loops, the schedule of every tenant, /healthz and /metrics; SIGTERM drains',
    register: (program) => (require('./serve') as typeof import('./serve')).register(program),
  },
  {
    name: 'worker',
    term: 'worker [options]',
    summary: 'server mode: run tenants’ syncs from the queue (more machines: more workers); SIGTERM drains',
    register: (program) => (require('./worker') as typeof import('./worker')).register(program),
  },
  {
    name: 'rotate-key',
    term: 'rotate-key',
    summary:
      "server mode: re-wrap every tenant's data key with TIGHTKNIT_MASTER_KEY (the old key in TIGHTKNIT_PREVIOUS_MASTER_KEY); no data is re-encrypted",
    register: (program) => (require('./rotate-key') as typeof import('./rotate-key')).register(program),
  },
  {
    name: 'users',
    term: 'users',
    summary: 'server mode: people and their roles, per tenant (--tenant) or operator-wide',
    register: (program) => (require('./users') as typeof import('./users')).register(program),
  },
  {
    name: 'audit',
    term: 'audit [options]',
    summary: 'server mode: the audit trail (who changed what, when, from where), newest first',
    register: (program) => (require('./audit') as typeof import('./audit')).register(program),
  },
];
