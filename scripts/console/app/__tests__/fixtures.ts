/**
 * The JSON fixtures, typed as the contract says. `typed<T>` only accepts JSON whose shape matches T
 * once string unions are widened to string (what JSON imports infer), so a renamed or missing field in
 * the contract fails `tsc -p scripts/console/app/tsconfig.test.json`.
 */
import type {
  CheckReportView,
  ConfigView,
  InvestigationView,
  RunView,
  SourceView,
  StatusView,
  VerifyView,
} from '../../contract';
import checksJson from './data/checks.json';
import configJson from './data/config.json';
import investigationJson from './data/investigation.json';
import investigationMatchingJson from './data/investigation-matching.json';
import runsJson from './data/runs.json';
import statusConnectedJson from './data/status-connected.json';
import statusRunningJson from './data/status-running.json';
import statusWaitingJson from './data/status-waiting.json';
import verifyJson from './data/verify.json';

type Loose<T> = T extends string
  ? string
  : T extends (infer U)[]
    ? Loose<U>[]
    : T extends object
      ? { [K in keyof T]: Loose<T[K]> }
      : T;

function typed<T>(json: Loose<T>): T {
  // A deep copy, so a test that edits its fixture cannot leak into the next one.
  return JSON.parse(JSON.stringify(json)) as T;
}

export const config = (): ConfigView => typed<ConfigView>(configJson);
export const checks = (): CheckReportView => typed<CheckReportView>(checksJson);
export const verify = (): VerifyView => typed<VerifyView>(verifyJson);
export const runs = (): RunView[] => typed<{ runs: RunView[] }>(runsJson).runs;
export const investigation = (): InvestigationView => typed<InvestigationView>(investigationJson);
/** A re-match that could not read Contact: a MATCHING_UNAVAILABLE run event with its cause and fix. */
export const investigationMatching = (): InvestigationView => typed<InvestigationView>(investigationMatchingJson);
export const statusConnected = (): StatusView => typed<StatusView>(statusConnectedJson);
export const statusRunning = (): StatusView => typed<StatusView>(statusRunningJson);
export const statusWaiting = (): StatusView => typed<StatusView>(statusWaitingJson);

export const statusDisconnected = (): StatusView => ({ ...statusConnected(), connection: null });

export const statusPaused = (): StatusView => {
  const s = statusWaiting();
  return { ...s, scheduler: { ...s.scheduler, state: 'paused', paused: true, nextRunAt: null } };
};

/** A connected Slack workspace, up to date (polling), as the status's `source` carries it. */
export const sourceSlack = (changes: Partial<SourceView> = {}): SourceView => ({
  slack: {
    teamId: 'T0EMULATE1',
    teamName: 'Acme Community',
    domain: 'acme-community',
    url: 'https://acme-community.slack.com/',
    connectedAt: '2026-03-04T14:10:00.000Z',
    hasSigningSecret: false,
    hasAppToken: true,
  },
  events: 'off',
  firstImportDone: true,
  lastCatchUpAt: '2026-03-04T15:00:00.000Z',
  lastError: null,
  pendingEvents: 0,
  lastEventAt: null,
  receiver: { state: 'receiving', mode: 'socket-mode', address: 'Socket Mode', seenAt: '2026-03-04T15:00:00.000Z' },
  lagSeconds: 0,
  lastCatchUp: null,
  receiving: null,
  ...changes,
});

export const statusWithSlack = (changes: Partial<SourceView> = {}): StatusView => ({
  ...statusConnected(),
  source: sourceSlack(changes),
});
