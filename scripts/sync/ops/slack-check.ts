import type { WebClient } from '@slack/web-api';
import type { KeyOptions } from '../connection/encryption';
import { loadSlackCredentials, slackClient, type SlackConnectionInfo } from '../connection/slack-credentials';
import type { SyncConfig } from '../config';
import { currentReceiver, type ReceiverMode, type ReceiverRecord } from '../sources/slack/events/receivers';
import { openAsyncStore } from '../store';
import type { CheckItem, CheckReport } from './check';
import { storeExists } from './history-events';
import { slackCallFailure } from './slack-connect';
import { REQUIRED_SLACK_SCOPES } from './slack-facts';

/** Only when private channels are synced. */
const PRIVATE_SLACK_SCOPES: ReadonlyArray<{ scope: string; why: string }> = [
  { scope: 'groups:read', why: 'list the private channels the app was added to' },
  { scope: 'groups:history', why: 'read messages in those private channels (and receive message.groups events)' },
];

interface SlackCheckOptions {
  client: WebClient;
  /** The stored workspace: the token must still belong to it. */
  info?: SlackConnectionInfo;
  /** Private channels are synced: groups:read and groups:history are needed too. */
  includePrivate?: boolean;
  onCheck?: (item: CheckItem) => void;
}

function howToAdd(scope: string): string {
  return `Add the bot token scope ${scope}: api.slack.com/apps → your app → OAuth & Permissions → Scopes → Bot Token Scopes → Add an OAuth Scope (or add it to oauth_config.scopes.bot in the app manifest), reinstall the app to the workspace when Slack asks, then run \`tightknit-sync connect-slack\` with the new bot token if it changed.`;
}

/**
 * The Slack side of `check`: the bot token works and belongs to the connected workspace, each scope the
 * source needs is granted (one item per scope, so each missing one is named with how to add it), and
 * the app can receive events. Items have the shape of the org checks (scripts/sync/ops/check.ts).
 */
export async function runSlackChecks(opts: SlackCheckOptions): Promise<CheckItem[]> {
  const items: CheckItem[] = [];
  const add = (item: CheckItem): void => {
    items.push(item);
    opts.onCheck?.(item);
  };
  const needed = [...REQUIRED_SLACK_SCOPES, ...(opts.includePrivate ? PRIVATE_SLACK_SCOPES : [])];

  let scopes: string[] | undefined;
  try {
    const auth = await opts.client.auth.test();
    scopes = auth.response_metadata?.scopes;
    const other = opts.info && auth.team_id !== opts.info.teamId;
    add({
      id: 'slack-token',
      label: 'Slack bot token',
      status: other ? 'fail' : 'pass',
      blocking: true,
      detail: other
        ? `The bot token now belongs to workspace ${auth.team ?? '?'} (${auth.team_id ?? '?'}), not ${opts.info?.teamName} (${opts.info?.teamId}).`
        : `Valid for workspace ${auth.team ?? auth.team_id ?? '?'}${auth.team_id ? ` (${auth.team_id})` : ''}${auth.user ? ` as @${auth.user}` : ''}.`,
      fix: other
        ? 'Run `tightknit-sync connect-slack` with the bot token of the intended workspace, or use another --state-dir for the other workspace.'
        : undefined,
    });
  } catch (err) {
    const e = slackCallFailure(err, 'auth.test');
    add({
      id: 'slack-token',
      label: 'Slack bot token',
      status: 'fail',
      blocking: true,
      detail: e.message,
      fix: e.actions.join(' '),
    });
    for (const { scope } of needed) {
      add({
        id: `slack-scope:${scope}`,
        label: `Slack scope ${scope}`,
        status: 'skip',
        blocking: false,
        detail: 'Skipped: the token does not work.',
      });
    }
    return items;
  }

  for (const { scope, why } of needed) {
    const base = { id: `slack-scope:${scope}`, label: `Slack scope ${scope}` };
    if (!scopes) {
      add({
        ...base,
        status: 'warn',
        blocking: false,
        detail: `Slack did not report the token's scopes; ${scope} is needed to ${why}.`,
      });
    } else if (scopes.includes(scope)) {
      add({ ...base, status: 'pass', blocking: true, detail: `Granted (${why}).` });
    } else {
      add({ ...base, status: 'fail', blocking: true, detail: `Missing: the app cannot ${why}.`, fix: howToAdd(scope) });
    }
  }

  if (opts.info) {
    const events = opts.info.hasSigningSecret || opts.info.hasAppToken;
    add({
      id: 'slack-events',
      label: 'Slack events',
      status: events ? 'pass' : 'warn',
      blocking: false,
      detail: events
        ? [
            opts.info.hasSigningSecret && 'signing secret stored (`listen`)',
            opts.info.hasAppToken && 'app-level token stored (`listen --socket-mode`)',
          ]
            .filter(Boolean)
            .join('; ')
            .replace(/^./, (c) => c.toUpperCase()) + '.'
        : 'Neither a signing secret nor an app-level token is stored: changes arrive only by polling the Web API.',
      fix: events
        ? undefined
        : 'Set TIGHTKNIT_SLACK_SIGNING_SECRET (or TIGHTKNIT_SLACK_APP_TOKEN for Socket Mode) and run `tightknit-sync connect-slack` again.',
    });
  }
  return items;
}

const START_RECEIVER: Record<ReceiverMode, string> = {
  http: 'Run `tightknit-sync listen --port PORT` (or `tightknit-sync start --listen PORT`) behind the HTTPS Request URL Slack posts to, and keep it running under your service manager; or `configure --slack-events off` to poll on purpose.',
  'socket-mode':
    'Run `tightknit-sync start --socket-mode` (or `tightknit-sync listen --socket-mode`) and keep it running under your service manager; or `configure --slack-events off` to poll on purpose.',
};

/**
 * With events configured: is a receiver of that mode storing them into this state directory? Not
 * blocking: without one, every run polls the Web API instead (docs/sources.md), slower and with more
 * calls, nothing lost.
 */
export async function receiverCheck(stateDir: string, events: ReceiverMode, now = new Date()): Promise<CheckItem> {
  const base = { id: 'slack-receiver', label: 'Slack event receiver', blocking: false };
  let records: ReceiverRecord[] = [];
  if (storeExists(stateDir)) {
    const store = openAsyncStore({ stateDir });
    try {
      records = await store.receivers.all();
    } finally {
      await store.close();
    }
  }
  const { state, record, otherMode } = currentReceiver(records, events, now);
  if (state === 'receiving' && record) {
    return {
      ...base,
      status: 'pass',
      detail: `Receiving (${events}) at ${record.address}, process ${record.pid}, since ${record.startedAt}.`,
    };
  }
  const polls = 'until one runs, every sync polls the Web API instead';
  const details: string[] = [
    !record
      ? `Events are set to ${events}, but no ${events} receiver has run for this state directory: ${polls}.`
      : state === 'stopped'
        ? `The ${events} receiver at ${record.address} stopped at ${record.stoppedAt}: ${polls}.`
        : `The ${events} receiver at ${record.address} (process ${record.pid}) has not said it is alive since ${record.seenAt}; it probably died: ${polls}.`,
  ];
  if (otherMode) {
    details.push(
      `A ${otherMode.mode} receiver runs (${otherMode.address}, process ${otherMode.pid}), but Slack sends events to one mode only: the configured ${events}.`,
    );
  }
  return { ...base, status: 'warn', detail: details.join(' '), fix: START_RECEIVER[events] };
}

/** The Slack checks for a state directory; no items when no Slack workspace is connected. */
export async function runStoredSlackChecks(
  opts: KeyOptions & {
    includePrivate?: boolean;
    /** The configured event delivery: anything but off adds the receiver check. */
    events?: SyncConfig['slack']['events'];
    slackApiUrl?: string;
    onCheck?: (item: CheckItem) => void;
  },
): Promise<CheckItem[]> {
  const creds = await loadSlackCredentials(opts);
  if (!creds) return [];
  const client = slackClient(creds.secrets, { slackApiUrl: opts.slackApiUrl, retryConfig: { retries: 1 } });
  const items = await runSlackChecks({
    client,
    info: creds.info,
    includePrivate: opts.includePrivate,
    onCheck: opts.onCheck,
  });
  if (opts.events && opts.events !== 'off') {
    const item = await receiverCheck(opts.stateDir, opts.events);
    items.push(item);
    opts.onCheck?.(item);
  }
  return items;
}

/** The org report with the Slack items appended; `ok` stays false while any blocking item fails. */
export function withSlackChecks(report: CheckReport, slack: CheckItem[]): CheckReport {
  const checks = [...report.checks, ...slack];
  return { ...report, ok: report.ok && !slack.some((c) => c.blocking && c.status === 'fail'), checks };
}
