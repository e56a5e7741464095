import { WebClient, WebAPIPlatformError, WebAPIRequestError, WebAPIHTTPError, LogLevel } from '@slack/web-api';
import type { KeyOptions, KeySource } from '../connection/encryption';
import {
  deleteSlackCredentials,
  loadSlackCredentials,
  readSlackConnectionInfo,
  saveSlackCredentials,
  slackClient,
  type SlackConnectionInfo,
  type SlackSecrets,
} from '../connection/slack-credentials';
import { OrgRefusedError, TightknitError, UsageError } from '../errors';
import { recordHistoryEvent } from './history-events';
import { SLACK_ENV } from './slack-facts';

/** Slack's answers that mean the token itself is no good. */
const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

export interface ConnectSlackOptions extends KeyOptions {
  /** Default: TIGHTKNIT_SLACK_BOT_TOKEN (secrets are read from the environment, never from flags). */
  botToken?: string;
  signingSecret?: string;
  appToken?: string;
  /** Default: TIGHTKNIT_SLACK_API_URL, else Slack. */
  slackApiUrl?: string;
  onProgress?: (line: string) => void;
}

export interface ConnectSlackResult {
  info: SlackConnectionInfo;
  keySource: KeySource;
  warning?: string;
  /** The bot token's scopes as Slack reported them (null when it did not say). */
  scopes: string[] | null;
  /** A signing secret or app token kept from the previous connection to the same workspace. */
  kept: Array<'signingSecret' | 'appToken'>;
}

/** Turns a failed Web API call into an error that names the cause and the fix; never includes a token. */
export function slackCallFailure(err: unknown, method: string, token = 'bot token'): TightknitError {
  if (err instanceof WebAPIPlatformError) {
    const code = err.data.error;
    if (AUTH_ERRORS.has(code)) {
      return new OrgRefusedError('SLACK_AUTH_FAILED', `Slack refused the ${token} (${method}: ${code}).`, {
        actions: [
          token === 'app-level token'
            ? 'Copy the app-level token again (api.slack.com/apps → your app → Basic Information → App-Level Tokens, scope connections:write), set TIGHTKNIT_SLACK_APP_TOKEN and run `tightknit-sync connect-slack`.'
            : 'Copy the Bot User OAuth Token again (api.slack.com/apps → your app → OAuth & Permissions; reinstall the app if it was removed), set TIGHTKNIT_SLACK_BOT_TOKEN and run `tightknit-sync connect-slack`.',
        ],
        cause: err,
      });
    }
    return new OrgRefusedError('SLACK_API_ERROR', `Slack answered ${method} with "${code}".`, {
      actions: [
        'See https://docs.slack.dev/reference/methods for what it means; `tightknit-sync check` lists missing scopes.',
      ],
      cause: err,
    });
  }
  if (err instanceof WebAPIRequestError || err instanceof WebAPIHTTPError) {
    const what = err instanceof WebAPIHTTPError ? `HTTP ${err.statusCode}` : err.original.message;
    return new UsageError('SLACK_UNREACHABLE', `Could not reach the Slack Web API for ${method} (${what}).`, {
      actions: [
        'Check the network and proxy settings of this host (https://slack.com must be reachable), then try again.',
      ],
      cause: err,
    });
  }
  return new TightknitError(
    'SLACK_API_ERROR',
    `${method} failed: ${err instanceof Error ? err.message : String(err)}`,
    1,
    {
      cause: err,
    },
  );
}

function pick(given: string | undefined, env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = (given ?? env[name])?.trim();
  return v === '' ? undefined : v;
}

function validate(secrets: SlackSecrets): void {
  if (!secrets.botToken.startsWith('xoxb-')) {
    const looksLike = secrets.botToken.startsWith('xoxp-')
      ? 'a user token (xoxp-)'
      : secrets.botToken.startsWith('xapp-')
        ? 'an app-level token (xapp-)'
        : 'not a Slack bot token';
    throw new UsageError(
      'SLACK_TOKEN_INVALID',
      `${SLACK_ENV.botToken} is ${looksLike}; the sync needs the Bot User OAuth Token (xoxb-…).`,
      {
        actions: ['Copy it from api.slack.com/apps → your app → OAuth & Permissions → Bot User OAuth Token.'],
      },
    );
  }
  if (secrets.appToken !== undefined && !secrets.appToken.startsWith('xapp-')) {
    throw new UsageError('SLACK_APP_TOKEN_INVALID', `${SLACK_ENV.appToken} is not an app-level token (xapp-…).`, {
      actions: [
        'Create one under api.slack.com/apps → your app → Basic Information → App-Level Tokens, with scope connections:write.',
      ],
    });
  }
}

function domainOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const host = new URL(url).hostname;
    return host.endsWith('.slack.com') ? host.slice(0, -'.slack.com'.length) : host.split('.')[0];
  } catch {
    return null;
  }
}

/**
 * Connects a Slack workspace: reads the bot token (and the signing secret and/or app-level token for
 * events) from the options or the environment, confirms them with Slack (auth.test, and
 * apps.connections.open for an app token), then stores them encrypted like the Salesforce credentials.
 * Reconnecting the same workspace without a signing secret or app token keeps the stored ones.
 */
export async function connectSlack(opts: ConnectSlackOptions): Promise<ConnectSlackResult> {
  const env = opts.env ?? process.env;
  const botToken = pick(opts.botToken, env, SLACK_ENV.botToken);
  if (!botToken) {
    throw new UsageError('SLACK_TOKEN_MISSING', `No Slack bot token: set ${SLACK_ENV.botToken}.`, {
      actions: [
        `Create the Slack app from the manifest in the README ("Slack app"), install it, then export ${SLACK_ENV.botToken}=<Bot User OAuth Token> (and ${SLACK_ENV.signingSecret} for \`listen\`, or ${SLACK_ENV.appToken} for Socket Mode) and run \`tightknit-sync connect-slack\` again.`,
      ],
    });
  }
  const secrets: SlackSecrets = {
    botToken,
    signingSecret: pick(opts.signingSecret, env, SLACK_ENV.signingSecret),
    appToken: pick(opts.appToken, env, SLACK_ENV.appToken),
  };
  validate(secrets);

  opts.onProgress?.('Checking the bot token with Slack (auth.test)…');
  const client = slackClient(secrets, { slackApiUrl: opts.slackApiUrl, retryConfig: { retries: 1 } });
  let auth: Awaited<ReturnType<WebClient['auth']['test']>>;
  try {
    auth = await client.auth.test();
  } catch (err) {
    throw slackCallFailure(err, 'auth.test');
  }
  if (!auth.team_id) {
    throw new OrgRefusedError('SLACK_AUTH_FAILED', 'auth.test did not name a workspace for this token.', {
      actions: ['Use the Bot User OAuth Token of an app installed in the workspace (xoxb-…).'],
    });
  }

  if (secrets.appToken) {
    opts.onProgress?.('Checking the app-level token (apps.connections.open)…');
    const appClient = new WebClient(secrets.appToken, {
      slackApiUrl: client.slackApiUrl,
      retryConfig: { retries: 1 },
      logLevel: LogLevel.ERROR,
    });
    try {
      await appClient.apps.connections.open();
    } catch (err) {
      throw slackCallFailure(err, 'apps.connections.open', 'app-level token');
    }
  }

  const kept: ConnectSlackResult['kept'] = [];
  const previous = readSlackConnectionInfo(opts.stateDir);
  if (previous?.teamId === auth.team_id && (!secrets.signingSecret || !secrets.appToken)) {
    const stored = await loadSlackCredentials(opts).catch(() => undefined);
    if (!secrets.signingSecret && stored?.secrets.signingSecret) {
      secrets.signingSecret = stored.secrets.signingSecret;
      kept.push('signingSecret');
    }
    if (!secrets.appToken && stored?.secrets.appToken) {
      secrets.appToken = stored.secrets.appToken;
      kept.push('appToken');
    }
  }

  const info: SlackConnectionInfo = {
    teamId: auth.team_id,
    teamName: auth.team ?? auth.team_id,
    domain: domainOf(auth.url),
    url: auth.url ?? null,
    botUserId: auth.user_id ?? null,
    connectedAt: new Date().toISOString(),
    hasSigningSecret: secrets.signingSecret !== undefined,
    hasAppToken: secrets.appToken !== undefined,
  };
  const saved = await saveSlackCredentials(opts, secrets, info);
  await recordHistoryEvent(opts.stateDir, 'connected', `Connected Slack workspace ${info.teamName} (${info.teamId}).`);
  return {
    info,
    keySource: saved.keySource,
    warning: saved.warning,
    scopes: auth.response_metadata?.scopes ?? null,
    kept,
  };
}

export interface DisconnectSlackResult {
  disconnected: boolean;
  teamId?: string;
  teamName?: string;
}

/**
 * Forgets the Slack workspace: deletes the stored tokens and secret (the store, the inbox and the
 * history stay). The tokens stay valid at Slack until the app is uninstalled or they are rotated.
 */
export async function disconnectSlack(opts: { stateDir: string }): Promise<DisconnectSlackResult> {
  let info: SlackConnectionInfo | undefined;
  try {
    info = readSlackConnectionInfo(opts.stateDir);
  } catch {
    info = undefined; // unreadable file: delete it all the same
  }
  const existed = deleteSlackCredentials(opts.stateDir);
  if (existed) {
    await recordHistoryEvent(
      opts.stateDir,
      'disconnected',
      `Disconnected Slack workspace ${info ? `${info.teamName} (${info.teamId})` : '(unreadable credentials)'}.`,
    );
  }
  return { disconnected: existed, teamId: info?.teamId, teamName: info?.teamName };
}
