import type { IncomingMessage, ServerResponse } from 'node:http';
import { createPkcePair } from '../../../sync/connection/pkce';
import { oauthError } from '../../../sync/connection/oauth-errors';
import {
  fetchUserInfo,
  probeLoginUrl,
  requestToken,
  revokeToken,
  type UserInfo,
} from '../../../sync/connection/token-endpoint';
import type { TokenResponse } from '../../../sync/connection/types';
import { TightknitError } from '../../../sync/errors';
import type { Tenant } from '../../tenants';
import { saveTenantCredentials } from '../../tenant-state/credentials';
import { finishFlow, startFlow } from '../flows';
import { ConnectRefusal, redirect, sendPage, type ConnectContext } from '../http';
import type { ConnectSettings } from '../settings';
import { serverLoginUrl } from './login-host';
import { storedOrgCredentials } from './credentials';

/** The scopes of the embedded web flow: API access, a refresh token for unattended syncs, the user's identity. */
const SCOPES = 'api refresh_token openid';

function salesforceApp(ctx: ConnectContext): NonNullable<ConnectSettings['salesforce']> {
  if (ctx.settings.salesforce) return ctx.settings.salesforce;
  throw new ConnectRefusal(
    503,
    'Salesforce is not set up on this server',
    'The operator must set TIGHTKNIT_CLIENT_ID (the consumer key of the Tightknit Salesforce External Client App) and, if the app requires it, TIGHTKNIT_CLIENT_SECRET (docs/server-connect.md).',
  );
}

/** A sign-in error from the embedded flow's mapping, as a page: its cause, without the CLI's commands. */
function refusal(title: string, err: unknown): ConnectRefusal {
  if (err instanceof ConnectRefusal) return err;
  if (err instanceof TightknitError)
    return new ConnectRefusal(400, title, `${err.message} Start again from the console.`);
  throw err;
}

/** GET start: the web server flow with PKCE (S256) for one tenant, at the login URL its admin gave. */
export async function startSalesforceConnect(
  ctx: ConnectContext,
  req: IncomingMessage,
  res: ServerResponse,
  tenant: Tenant,
  url: URL,
): Promise<void> {
  const app = salesforceApp(ctx);
  const loginUrl = serverLoginUrl(url.searchParams.get('login_url'), app.allowLoopbackLoginUrls ?? false);
  // Before the person is sent there: the host answers like a Salesforce login server and knows the app.
  await probeLoginUrl(loginUrl, app.clientId).catch((err: unknown) => {
    throw refusal('Salesforce login URL refused', err);
  });
  const pkce = createPkcePair();
  const state = await startFlow(ctx, req, tenant.id, 'salesforce', { loginUrl, verifier: pkce.verifier });
  const authorize = new URL(`${loginUrl}/services/oauth2/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: app.clientId,
    redirect_uri: app.callbackUrl,
    scope: SCOPES,
    state,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    prompt: 'login',
  }).toString();
  ctx.log?.({
    level: 'info',
    event: 'salesforce-connect-started',
    message: `Sent to ${loginUrl} to authorize.`,
    tenant: tenant.name,
  });
  redirect(res, authorize.toString());
}

/** The org id: from userinfo, else from the identity URL (`…/id/<org id>/<user id>`). */
async function whoSignedIn(token: TokenResponse): Promise<{ orgId?: string; userId?: string; username?: string }> {
  const who = await fetchUserInfo(token.instance_url, token.access_token).catch((): UserInfo => ({}));
  const fromId = /\/id\/(00D\w{12,15})\/(005\w{12,15})$/.exec(token.id ?? '');
  return { orgId: who.orgId ?? fromId?.[1], userId: who.userId ?? fromId?.[2], username: who.username };
}

/** GET callback: the code exchanged with its verifier, the refresh token stored sealed, the org id on the tenant. */
export async function finishSalesforceConnect(
  ctx: ConnectContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const app = salesforceApp(ctx);
  const flow = await finishFlow(ctx, req, url.searchParams.get('state'), 'salesforce');
  const { rows } = await ctx.pool.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [flow.tenantId]);
  const name = rows[0]?.name ?? String(flow.tenantId);
  const error = url.searchParams.get('error');
  const code = url.searchParams.get('code');
  if (error || !code || !flow.loginUrl || !flow.verifier) {
    throw refusal(
      'Salesforce sign-in failed',
      oauthError(
        'authorize',
        error ?? 'invalid_request',
        url.searchParams.get('error_description') ?? 'no authorization code in the callback',
      ),
    );
  }
  const token = await requestToken(flow.loginUrl, 'code-exchange', {
    grant_type: 'authorization_code',
    code,
    client_id: app.clientId,
    redirect_uri: app.callbackUrl,
    code_verifier: flow.verifier,
    ...(app.clientSecret ? { client_secret: app.clientSecret } : {}),
  }).catch((err: unknown) => {
    throw refusal('Salesforce sign-in failed', err);
  });
  if (!token.refresh_token) {
    await revokeToken(flow.loginUrl, token.access_token).catch(() => false);
    throw new ConnectRefusal(
      400,
      'No refresh token',
      'Salesforce issued no refresh token, so syncs would stop when the session ends; nothing was stored. The External Client App needs the RefreshToken scope and a refresh token policy other than "Immediately expire".',
    );
  }
  const who = await whoSignedIn(token);
  if (!who.orgId)
    throw new ConnectRefusal(
      502,
      'Org not identified',
      'Salesforce did not say which org signed in (userinfo and the identity URL were unreadable). Try again.',
    );
  const tenant = { id: flow.tenantId, name };
  const previous = await storedOrgCredentials(ctx.pool, ctx.keys, tenant);
  // The embedded web flow's shape: the pass opens it as `connect` leaves a state directory. The app's
  // consumer secret is the operator's setting, added when a pass renews, never stored per tenant.
  await saveTenantCredentials(ctx.pool, ctx.keys, tenant, {
    method: 'web',
    loginUrl: flow.loginUrl,
    instanceUrl: token.instance_url,
    clientId: app.clientId,
    orgId: who.orgId,
    ...(who.userId ? { userId: who.userId } : {}),
    ...(who.username ? { username: who.username } : {}),
    connectedAt: new Date().toISOString(),
    secrets: { accessToken: token.access_token, refreshToken: token.refresh_token },
  });
  // A reconnect leaves the previous authorization unused: revoke it rather than leave it valid.
  const old = previous?.secrets.refreshToken;
  if (previous && old && old !== token.refresh_token) await revokeToken(previous.loginUrl, old).catch(() => false);
  ctx.log?.({
    level: 'info',
    event: 'salesforce-connected',
    message: `Org ${who.orgId} connected at ${token.instance_url}.`,
    tenant: name,
  });
  await ctx.audit?.(req, tenant, 'connect', {
    method: 'web',
    org: who.orgId,
    instanceUrl: token.instance_url,
  });
  sendPage(
    res,
    200,
    'Salesforce connected',
    `${name} is connected to org ${who.orgId} (${token.instance_url})${who.username ? ` as ${who.username}` : ''}. Its syncs push there from now on.`,
    ctx.settings.publicUrl,
  );
}
