import {
  type AsyncStore,
  connectSlack,
  disconnectSlack,
  type KeyOptions,
  liveSourceStatus,
  readSlackConnectionInfo,
  runStoredSlackChecks,
  SLACK_ENV,
  type SlackConnectionInfo,
  type SyncConfig,
  TightknitError,
  UsageError,
  withSlackChecks,
} from '../../sync';
import type {
  CheckReportView,
  SlackConnectRequest,
  SlackConnectView,
  SlackDisconnectView,
  SlackWorkspaceView,
  SourceView,
} from '../contract';
import { HttpError } from './http';

type Keys = Omit<KeyOptions, 'stateDir'> | undefined;
type SchedulerError = { code: string; message: string; actions: string[] } | null;

/** What the console's schedule last reported about the live source (ScheduleEvents). */
export interface SourceEvents {
  lastCatchUp: SourceView['lastCatchUp'];
  lastError: SourceView['lastError'];
}

/** Where to paste the values again, in the console's words (the core's name the CLI's env vars). */
const CONSOLE_FIX = {
  botToken:
    'Copy the Bot User OAuth Token again (api.slack.com/apps → your app → OAuth & Permissions; reinstall the app if it was removed) and connect again under Setup → Community source.',
  appToken:
    'Copy the app-level token again (api.slack.com/apps → your app → Basic Information → App-Level Tokens, scope connections:write) and connect again under Setup → Community source.',
};

function slackWorkspaceView(info: SlackConnectionInfo | undefined): SlackWorkspaceView | null {
  if (!info) return null;
  return {
    teamId: info.teamId,
    teamName: info.teamName,
    domain: info.domain,
    url: info.url,
    connectedAt: info.connectedAt,
    hasSigningSecret: info.hasSigningSecret,
    hasAppToken: info.hasAppToken,
  };
}

/** The environment without the Slack secrets: the form's values are the only ones a console connect uses. */
function withoutSlackSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of Object.values(SLACK_ENV)) delete copy[name];
  return copy;
}

/**
 * POST /api/slack: `connectSlack` with the form's values (auth.test, apps.connections.open for an app
 * token), stored encrypted. A refused token is a 502 naming the field and the console's fix.
 */
export async function connectSlackWorkspace(
  stateDir: string,
  keys: Keys,
  req: SlackConnectRequest,
): Promise<SlackConnectView> {
  try {
    const result = await connectSlack({
      stateDir,
      ...keys,
      env: withoutSlackSecrets(keys?.env ?? process.env),
      botToken: req.botToken,
      signingSecret: req.signingSecret,
      appToken: req.appToken,
    });
    return { slack: slackWorkspaceView(result.info) as SlackWorkspaceView, scopes: result.scopes, kept: result.kept };
  } catch (err) {
    if (err instanceof TightknitError && err.code === 'SLACK_AUTH_FAILED') {
      const field = /apps\.connections\.open/.test(err.message) ? 'appToken' : 'botToken';
      throw new HttpError(502, err.code, err.message, [CONSOLE_FIX[field]], [{ field, reason: err.message }]);
    }
    throw err;
  }
}

function notConnected(): UsageError {
  return new UsageError('SLACK_NOT_CONNECTED', 'No Slack workspace is connected.', {
    actions: ['Connect one under Setup → Community source.'],
  });
}

/** DELETE /api/slack: forgets the tokens and secret (the store and its history stay). */
export async function disconnectSlackWorkspace(stateDir: string): Promise<SlackDisconnectView> {
  const result = await disconnectSlack({ stateDir });
  if (!result.disconnected) throw notConnected();
  return result;
}

/** POST /api/slack/check: the token, each scope the source needs (private channels: groups:*), events. */
export async function slackChecks(stateDir: string, keys: Keys, config: SyncConfig): Promise<CheckReportView> {
  const checks = await runStoredSlackChecks({
    stateDir,
    ...keys,
    includePrivate: config.slack.includePrivate,
    events: config.slack.events,
  });
  if (checks.length === 0) throw notConnected();
  return withSlackChecks({ ok: true, checks: [] }, checks);
}

/**
 * The fix for a catch-up error: a refused token is reconnected here (the core's words name the CLI);
 * otherwise the schedule's own actions when it reported the same error.
 */
function actionsFor(code: string, events: SourceEvents, schedulerError: SchedulerError): string[] {
  if (code === 'SLACK_AUTH_FAILED') return [CONSOLE_FIX.botToken];
  for (const e of [events.lastError, schedulerError]) if (e?.code === code && e.actions.length > 0) return e.actions;
  return [];
}

/** The source part of the status: `liveSourceStatus` (null store: nothing ingested yet) and the schedule's last report. */
export async function sourceView(
  stateDir: string,
  store: AsyncStore | null,
  config: SyncConfig,
  events: SourceEvents & { receiving: string | null },
  schedulerError: SchedulerError,
): Promise<SourceView> {
  const slack = slackWorkspaceView(readSlackConnectionInfo(stateDir));
  if (!store) {
    return {
      slack,
      events: config.slack.events,
      firstImportDone: false,
      lastCatchUpAt: null,
      lastError: events.lastError,
      pendingEvents: 0,
      lastEventAt: null,
      receiver: { state: 'none', mode: null, address: null, seenAt: null },
      lagSeconds: null,
      lastCatchUp: events.lastCatchUp,
      receiving: events.receiving,
    };
  }
  const live = await liveSourceStatus(stateDir, store, config);
  return {
    slack,
    events: live.events,
    firstImportDone: live.firstImportDone,
    lastCatchUpAt: live.lastCatchUpAt,
    // The stored error (any process's catch-up), else one this console's schedule hit before the store knew.
    lastError: live.lastError
      ? { ...live.lastError, actions: actionsFor(live.lastError.code, events, schedulerError) }
      : events.lastError && { ...events.lastError, actions: actionsFor(events.lastError.code, events, null) },
    pendingEvents: live.pendingEvents,
    lastEventAt: live.lastEventAt,
    receiver: live.receiver,
    lagSeconds: live.lagSeconds,
    lastCatchUp: events.lastCatchUp,
    receiving: events.receiving,
  };
}
