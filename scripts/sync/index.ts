/* eslint-disable @typescript-eslint/no-require-imports -- each part of the core is required on its first call (see below) */
/**
 * The core's entry: what a front end (the CLI, the console's server, the demo, the benches) may use, and
 * the only sync module they import (`npm run check:layers`, rule front-ends-use-the-core-entry).
 *
 * Loading is lazy. A CLI command loads only what it calls: the Salesforce, Slack, SQLite and HTTP stacks
 * take up to a second to load, and `--help` or `pause` need none of them. So this module loads nothing
 * heavy itself: types are re-exported (they do not exist at run time), the error classes and a few facts
 * come from leaf modules that import nothing, and every function is a stand-in that requires its module
 * when called and hands the call over (same arguments, same result, same errors; Node caches the module,
 * so a later call costs a cache look-up, about 0.5 µs). Constants of those modules are functions for the
 * same reason (`engagementDefaults()`), and the supervisor is made by `createSupervisor`.
 */

type Config = typeof import('./config');
type Connect = typeof import('./connection/connect');
type Credentials = typeof import('./connection/credential-store');
type Opening = typeof import('./connection/open');
type SlackCredentials = typeof import('./connection/slack-credentials');
type Engagement = typeof import('./engagement');
type History = typeof import('./history');
type Ingesting = typeof import('./ingest');
type Checks = typeof import('./ops/check');
type Demo = typeof import('./ops/demo');
type Disconnecting = typeof import('./ops/disconnect');
type HistoryEvents = typeof import('./ops/history-events');
type LiveReceiver = typeof import('./ops/live-receiver');
type LiveSource = typeof import('./ops/live-source');
type LiveSummary = typeof import('./ops/live-source-summary');
type Lock = typeof import('./ops/lock');
type MatchRules = typeof import('./ops/match-rules');
type Pause = typeof import('./ops/pause');
type PauseResume = typeof import('./ops/pause-resume');
type Preflight = typeof import('./ops/preflight');
type Run = typeof import('./ops/run');
type SlackCheck = typeof import('./ops/slack-check');
type SlackConnect = typeof import('./ops/slack-connect');
type Supervising = typeof import('./ops/supervisor');
type Verify = typeof import('./ops/verify');
type Push = typeof import('./push');
type Records = typeof import('./salesforce/records');
type Follow = typeof import('./sources/feed/follow');
type SlackApi = typeof import('./sources/slack/web-api');
type Signature = typeof import('./sources/slack/events/signature');
type Store = typeof import('./store');

// Errors and facts: leaf modules, loaded with the entry.
export { InvalidConfigError, OrgRefusedError, TightknitError, UsageError } from './errors';
export { ACTIVITY_TYPES as ACTIVITY_TYPE_VALUES } from '../generated/sobjects';
export { OBJECT_KINDS } from './domain';
export { STORE_FILE } from './store/file';
export { REQUIRED_SLACK_SCOPES, SLACK_ENV } from './ops/slack-facts';

// The store: open a sync's store (the embedded SQLite one; server mode opens its own).
export type { AsyncStore, AsyncStoreWriter } from './store';
export type { ActivityRow, StoredRow } from './store/types';
export const openAsyncStore: Store['openAsyncStore'] = (...args) =>
  (require('./store') as Store).openAsyncStore(...args);
export const storeExists: HistoryEvents['storeExists'] = (...args) =>
  (require('./ops/history-events') as HistoryEvents).storeExists(...args);
export const recordHistoryEvent: HistoryEvents['recordHistoryEvent'] = (...args) =>
  (require('./ops/history-events') as HistoryEvents).recordHistoryEvent(...args);

// Configure.
export type { SyncConfig, SyncConfigInput } from './config';
export const loadConfig: Config['loadConfig'] = (...args) => (require('./config') as Config).loadConfig(...args);
export const parseConfig: Config['parseConfig'] = (...args) => (require('./config') as Config).parseConfig(...args);
export const previewConfig: Config['previewConfig'] = (...args) =>
  (require('./config') as Config).previewConfig(...args);
export const mergeConfig: Config['mergeConfig'] = (...args) => (require('./config') as Config).mergeConfig(...args);
export const updateConfig: Config['updateConfig'] = (...args) => (require('./config') as Config).updateConfig(...args);
export const matchRulesOf: Config['matchRulesOf'] = (...args) => (require('./config') as Config).matchRulesOf(...args);
export const rulesText: MatchRules['rulesText'] = (...args) =>
  (require('./ops/match-rules') as MatchRules).rulesText(...args);
export const validateMatchRules: MatchRules['validateMatchRules'] = (...args) =>
  (require('./ops/match-rules') as MatchRules).validateMatchRules(...args);
export const engagementDefaults = (): Engagement['DEFAULT_ENGAGEMENT'] =>
  (require('./engagement') as Engagement).DEFAULT_ENGAGEMENT;

// Connect and disconnect: the org and the Slack workspace.
export type { AuthMethod } from './connection/types';
export type { ConnectOptions } from './connection/connect';
export type { KeyOptions } from './connection/encryption';
export type { OpenedConnection } from './connection/open';
export type { SlackConnectionInfo } from './connection/slack-credentials';
export type { DisconnectResult } from './ops/disconnect';
export const connect: Connect['connect'] = (...args) => (require('./connection/connect') as Connect).connect(...args);
export const openConnection: Opening['openConnection'] = (...args) =>
  (require('./connection/open') as Opening).openConnection(...args);
export const hasCredentials: Credentials['hasCredentials'] = (...args) =>
  (require('./connection/credential-store') as Credentials).hasCredentials(...args);
export const readConnectionInfo: Credentials['readConnectionInfo'] = (...args) =>
  (require('./connection/credential-store') as Credentials).readConnectionInfo(...args);
export const disconnect: Disconnecting['disconnect'] = (...args) =>
  (require('./ops/disconnect') as Disconnecting).disconnect(...args);
export const connectSlack: SlackConnect['connectSlack'] = (...args) =>
  (require('./ops/slack-connect') as SlackConnect).connectSlack(...args);
export const disconnectSlack: SlackConnect['disconnectSlack'] = (...args) =>
  (require('./ops/slack-connect') as SlackConnect).disconnectSlack(...args);
export const readSlackConnectionInfo: SlackCredentials['readSlackConnectionInfo'] = (...args) =>
  (require('./connection/slack-credentials') as SlackCredentials).readSlackConnectionInfo(...args);
export const saveSlackCredentials: SlackCredentials['saveSlackCredentials'] = (...args) =>
  (require('./connection/slack-credentials') as SlackCredentials).saveSlackCredentials(...args);
export const slackCredentialsPath: SlackCredentials['slackCredentialsPath'] = (...args) =>
  (require('./connection/slack-credentials') as SlackCredentials).slackCredentialsPath(...args);

// Verify and check.
export type { VerifyResult } from './ops/verify';
export type { CheckItem, CheckReport } from './ops/check';
export const verifyPackage: Verify['verifyPackage'] = (...args) =>
  (require('./ops/verify') as Verify).verifyPackage(...args);
export const runChecks: Checks['runChecks'] = (...args) => (require('./ops/check') as Checks).runChecks(...args);
export const checksFailed: Preflight['checksFailed'] = (...args) =>
  (require('./ops/preflight') as Preflight).checksFailed(...args);
export const runStoredSlackChecks: SlackCheck['runStoredSlackChecks'] = (...args) =>
  (require('./ops/slack-check') as SlackCheck).runStoredSlackChecks(...args);
export const withSlackChecks: SlackCheck['withSlackChecks'] = (...args) =>
  (require('./ops/slack-check') as SlackCheck).withSlackChecks(...args);

// Ingest, and the live source.
export type { IngestProgress, IngestSummary, SkippedInput } from './ingest';
export type { FollowBatch, FollowSummary } from './sources/feed/follow';
export type { SlackReadSummary } from './sources/slack/web-api';
export type { ReceiverStats } from './sources/slack/events/accept';
export const ingest: Ingesting['ingest'] = (...args) => (require('./ingest') as Ingesting).ingest(...args);
export const followEventFeed: Follow['followEventFeed'] = (...args) =>
  (require('./sources/feed/follow') as Follow).followEventFeed(...args);
export const readSlackWorkspace: SlackApi['readSlackWorkspace'] = (...args) =>
  (require('./sources/slack/web-api') as SlackApi).readSlackWorkspace(...args);
export const startLiveReceiver: LiveReceiver['startLiveReceiver'] = (...args) =>
  (require('./ops/live-receiver') as LiveReceiver).startLiveReceiver(...args);
export const liveSourceStatus: LiveSource['liveSourceStatus'] = (...args) =>
  (require('./ops/live-source') as LiveSource).liveSourceStatus(...args);
export const formatCatchUp: LiveSummary['formatCatchUp'] = (...args) =>
  (require('./ops/live-source-summary') as LiveSummary).formatCatchUp(...args);

// Run: backfill, incremental, retry, re-match, with progress as callbacks.
export type { PushProgress, PushTuning } from './push';
export type { RunSummary, SyncProgress } from './ops/run';
export const syncOnce: Run['syncOnce'] = (...args) => (require('./ops/run') as Run).syncOnce(...args);
export const retryFailedRecords: Run['retryFailedRecords'] = (...args) =>
  (require('./ops/run') as Run).retryFailedRecords(...args);
export const hasBackfilled: Run['hasBackfilled'] = (...args) => (require('./ops/run') as Run).hasBackfilled(...args);
export const runExitCode: Run['runExitCode'] = (...args) => (require('./ops/run') as Run).runExitCode(...args);
export const runSync: Push['runSync'] = (...args) => (require('./push') as Push).runSync(...args);

// The supervisor: the schedule with its receiver, pause and resume, one run at a time; status as events.
export type { ScheduleEvent } from './ops/schedule';
export type { Supervisor, SupervisorEvent } from './ops/supervisor';
export const createSupervisor = (
  ...args: ConstructorParameters<Supervising['Supervisor']>
): InstanceType<Supervising['Supervisor']> => new (require('./ops/supervisor') as Supervising).Supervisor(...args);
export const errorOf: Supervising['errorOf'] = (...args) =>
  (require('./ops/supervisor') as Supervising).errorOf(...args);
export const setPaused: PauseResume['setPaused'] = (...args) =>
  (require('./ops/pause-resume') as PauseResume).setPaused(...args);
export const readScheduleState: Pause['readScheduleState'] = (...args) =>
  (require('./ops/pause') as Pause).readScheduleState(...args);
export const otherLockHolder: Lock['otherLockHolder'] = (...args) =>
  (require('./ops/lock') as Lock).otherLockHolder(...args);

// History and investigate.
export type { Investigation, RecentHistory, RunListItem } from './history';
export const recentHistory: History['recentHistory'] = (...args) =>
  (require('./history') as History).recentHistory(...args);
export const listRuns: History['listRuns'] = (...args) => (require('./history') as History).listRuns(...args);
export const getRun: History['getRun'] = (...args) => (require('./history') as History).getRun(...args);
export const investigateRun: History['investigateRun'] = (...args) =>
  (require('./history') as History).investigateRun(...args);

// The demo.
export type { DemoSlack } from './ops/demo-slack';
export const runDemo: Demo['runDemo'] = (...args) => (require('./ops/demo') as Demo).runDemo(...args);
export const ephemeralKey: Demo['ephemeralKey'] = (...args) => (require('./ops/demo') as Demo).ephemeralKey(...args);

// For the benches: what they measure, or build their baseline from.
export type { ObjectSpec } from './salesforce/records';
export const slackClientOptions = (): SlackApi['SLACK_CLIENT_OPTIONS'] =>
  (require('./sources/slack/web-api') as SlackApi).SLACK_CLIENT_OPTIONS;
export const signSlackRequest: Signature['signSlackRequest'] = (...args) =>
  (require('./sources/slack/events/signature') as Signature).signSlackRequest(...args);
export const communitySpec = (): Records['communitySpec'] => (require('./salesforce/records') as Records).communitySpec;
export const memberSpec = (): Records['memberSpec'] => (require('./salesforce/records') as Records).memberSpec;
export const activitySpec: Records['activitySpec'] = (...args) =>
  (require('./salesforce/records') as Records).activitySpec(...args);
export const headers: Records['headers'] = (...args) => (require('./salesforce/records') as Records).headers(...args);
export const buildCells: Records['buildCells'] = (...args) =>
  (require('./salesforce/records') as Records).buildCells(...args);
