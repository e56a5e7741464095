import { ConnectRefusal } from '../http';
import type { SlackAppSettings } from '../settings';

/** A workspace's installation as oauth.v2.access grants it. */
export interface SlackGrant {
  botToken: string;
  botUserId: string | null;
  scope: string;
  appId: string | null;
  team: { id: string; name: string };
}

/** What each oauth.v2.access error means for the person installing, and what to do. */
const ACCESS_ERRORS: Record<string, string> = {
  invalid_code:
    'Slack did not accept the install code: it was used already or is older than ten minutes. Start the install again from the console.',
  invalid_client_id:
    'Slack does not know the app’s client id. The operator must set TIGHTKNIT_SLACK_CLIENT_ID (Basic Information → App Credentials).',
  bad_client_secret:
    'Slack refused the app’s client secret. The operator must set TIGHTKNIT_SLACK_CLIENT_SECRET (Basic Information → App Credentials).',
  bad_redirect_uri:
    'Slack refused the redirect URL. The operator must add it under OAuth & Permissions → Redirect URLs (docs/server-connect.md).',
};

async function post(
  settings: SlackAppSettings,
  method: string,
  params: Record<string, string>,
  authorization: string,
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(new URL(method, settings.apiUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new ConnectRefusal(
      502,
      'Slack could not be reached',
      `Calling ${method} failed (${(err as Error).name}). Try again in a minute.`,
    );
  }
  const json = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!json)
    throw new ConnectRefusal(
      502,
      'Slack answered oddly',
      `${method} answered HTTP ${res.status} without JSON. Try again later.`,
    );
  return json;
}

/** oauth.v2.access: the code for the bot token, the app authenticating with HTTP Basic (Slack's preferred way). */
export async function exchangeSlackCode(
  settings: SlackAppSettings,
  code: string,
  redirectUri: string,
): Promise<SlackGrant> {
  const basic = Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64');
  const json = await post(settings, 'oauth.v2.access', { code, redirect_uri: redirectUri }, `Basic ${basic}`);
  if (json.ok !== true) {
    const error = typeof json.error === 'string' ? json.error : 'unknown_error';
    throw new ConnectRefusal(
      400,
      'Slack refused the install',
      ACCESS_ERRORS[error] ?? `Slack answered ${error}. Start the install again from the console.`,
    );
  }
  const team = json.team as { id?: unknown; name?: unknown } | null;
  if (json.token_type !== 'bot' || typeof json.access_token !== 'string' || typeof team?.id !== 'string') {
    throw new ConnectRefusal(
      400,
      'Slack granted no bot token',
      'The install gave no bot token for a workspace: the app must request bot scopes. Start the install again.',
    );
  }
  return {
    botToken: json.access_token,
    botUserId: typeof json.bot_user_id === 'string' ? json.bot_user_id : null,
    scope: typeof json.scope === 'string' ? json.scope : '',
    appId: typeof json.app_id === 'string' ? json.app_id : null,
    team: { id: team.id, name: typeof team.name === 'string' ? team.name : team.id },
  };
}

/** auth.revoke: true when revoked now, false when Slack says the token was no longer valid. */
export async function revokeSlackToken(settings: SlackAppSettings, token: string): Promise<boolean> {
  const json = await post(settings, 'auth.revoke', {}, `Bearer ${token}`);
  if (json.ok === true) return true;
  if (['invalid_auth', 'token_revoked', 'account_inactive', 'not_authed'].includes(String(json.error))) return false;
  throw new ConnectRefusal(
    502,
    'Slack did not revoke the token',
    `auth.revoke answered ${String(json.error)}. Try again.`,
  );
}
