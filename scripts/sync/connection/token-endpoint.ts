import { backoffDelay, DEFAULT_RETRY, retryable, sleep } from '../salesforce/http';
import { loginUrlError, oauthError, OAuthStep } from './oauth-errors';
import type { TokenResponse } from './types';

/** Identity of the signed-in user (OpenID Connect userinfo). */
export interface UserInfo {
  userId?: string;
  orgId?: string;
  username?: string;
}

/**
 * One request to the login server. Requests that are safe to repeat (`repeat`: a renewal, a revoke) are
 * retried by the client's one rule and backoff (salesforce/http.ts) when the server answers 5xx or 429; a
 * server that does not answer at all is reported at once, as LOGIN_URL_UNREACHABLE with the fix.
 * An authorization code is never sent twice: it is good for one exchange only.
 */
async function send(url: string, init: RequestInit, loginUrl: string, repeat = false): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { ...init, redirect: 'manual', signal: init.signal ?? AbortSignal.timeout(30_000) });
    } catch (err) {
      if (init.signal?.aborted) throw err; // cancelled by the caller: not an unreachable server
      throw loginUrlError(loginUrl, 'unreachable', err);
    }
    if (!repeat || attempt >= DEFAULT_RETRY.maxRetries || !retryable(res.status, undefined)) return res;
    await res.body?.cancel();
    await sleep(backoffDelay(DEFAULT_RETRY, attempt), init.signal ?? undefined);
  }
}

/** Token requests that may be sent again after a 5xx: a renewal asks for a new access token, nothing more. */
const REPEATABLE: ReadonlySet<OAuthStep> = new Set(['refresh', 'jwt', 'client-credentials']);

async function readJson(res: Response): Promise<Record<string, unknown> | undefined> {
  const body = await res.text();
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** POST /services/oauth2/token; maps every error answer to a cause-and-fix error for the given step. */
export async function requestToken(
  loginUrl: string,
  step: OAuthStep,
  params: Record<string, string>,
  signal?: AbortSignal,
): Promise<TokenResponse> {
  const res = await send(
    `${loginUrl}/services/oauth2/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(params).toString(),
      signal,
    },
    loginUrl,
    REPEATABLE.has(step),
  );
  const json = await readJson(res);
  if (!json) throw loginUrlError(loginUrl, 'not-salesforce', new Error(`HTTP ${res.status} without a JSON body`));
  if (!res.ok || typeof json.access_token !== 'string') {
    const error = typeof json.error === 'string' ? json.error : `HTTP ${res.status}`;
    const description = typeof json.error_description === 'string' ? json.error_description : '';
    throw oauthError(step, error, description);
  }
  if (typeof json.instance_url !== 'string') {
    throw loginUrlError(loginUrl, 'not-salesforce', new Error('token answer without instance_url'));
  }
  return json as unknown as TokenResponse;
}

/**
 * Checks, before a browser is opened, that the login URL is a reachable Salesforce login server (a
 * token request with a made-up code must come back as an OAuth error in JSON) and knows the consumer key.
 */
export async function probeLoginUrl(loginUrl: string, clientId: string, signal?: AbortSignal): Promise<void> {
  const res = await send(
    `${loginUrl}/services/oauth2/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      // A made-up code: a known consumer key gets invalid_grant, an unknown one invalid_client_id.
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        code: 'tightknit-probe',
      }).toString(),
      signal,
    },
    loginUrl,
  );
  const json = await readJson(res);
  if (!json || typeof json.error !== 'string') {
    throw loginUrlError(loginUrl, 'not-salesforce', new Error(`HTTP ${res.status}`));
  }
  if (json.error === 'invalid_client_id') {
    throw oauthError('authorize', json.error, typeof json.error_description === 'string' ? json.error_description : '');
  }
}

/** GET /services/oauth2/userinfo with the new access token: who signed in. */
export async function fetchUserInfo(instanceUrl: string, accessToken: string): Promise<UserInfo> {
  const res = await send(
    `${instanceUrl}/services/oauth2/userinfo`,
    { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } },
    instanceUrl,
  );
  const json = res.ok ? await readJson(res) : undefined;
  if (!json) return {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    userId: str(json.user_id),
    orgId: str(json.organization_id),
    username: str(json.preferred_username) ?? str(json.username),
  };
}

/** POST /services/oauth2/revoke. Returns false when the org says the token is already invalid. */
export async function revokeToken(baseUrl: string, token: string): Promise<boolean> {
  const res = await send(
    `${baseUrl}/services/oauth2/revoke`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    },
    baseUrl,
    true,
  );
  if (res.ok) return true;
  const json = await readJson(res);
  if (json && (json.error === 'invalid_token' || json.error === 'unsupported_token_type')) return false;
  throw oauthError('revoke', typeof json?.error === 'string' ? json.error : `HTTP ${res.status}`);
}
