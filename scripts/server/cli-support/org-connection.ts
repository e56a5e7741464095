/**
 * `connect --tenant` and `disconnect --tenant`: a tenant's org authorized from a terminal and stored
 * sealed in PostgreSQL in the layout the console's web flow leaves (tenant-state/credentials.ts), so a
 * worker on any machine opens it. Only what carries its own token material can be stored that way: the
 * web login (a refresh token) and the client credentials flow (the consumer secret). A JWT key file or
 * an sf CLI alias stays on this machine, so both are refused for a tenant.
 */
import type { Pool } from 'pg';
import { clientCredentialsToken } from '../../sync/connection/connect';
import { isGenericLoginHost, normalizeLoginUrl } from '../../sync/connection/login-url';
import { fetchUserInfo, revokeToken } from '../../sync/connection/token-endpoint';
import type { AuthMethod, ConnectionInfo, StoredCredentials, TokenResponse } from '../../sync/connection/types';
import { webServerLogin } from '../../sync/connection/web-flow';
import { OrgRefusedError, TightknitError, UsageError } from '../../sync/errors';
import { recordEvent } from '../../sync/history';
import { deleteSecret, setTenantOrg } from '../connect/bindings';
import { storedOrgCredentials } from '../connect/salesforce/credentials';
import type { MasterKeys } from '../secrets/master-key';
import { PgStore } from '../store';
import { saveTenantCredentials, SALESFORCE_SECRET } from '../tenant-state/credentials';
import type { TenantRef } from '../tenant-state/tenant-ref';

interface TenantConnectOptions {
  method: AuthMethod;
  loginUrl?: string;
  clientId?: string;
  clientSecret?: string;
  callbackUrl?: string;
  openUrl?: (url: string) => void | Promise<void>;
  onProgress?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Why a machine-local way of connecting cannot serve a tenant, and what to use instead. */
function notPortable(method: 'jwt' | 'sf-org', tenant: TenantRef): UsageError {
  const what =
    method === 'jwt'
      ? 'the JWT bearer flow signs with a private key file on this machine'
      : "the sf CLI keeps that org's tokens in its own store on this machine";
  return new UsageError(
    'CONNECTION_NOT_PORTABLE',
    `A tenant's connection must work from every worker, but ${what}, which workers elsewhere cannot read; nothing was stored.`,
    {
      actions: [
        `Sign in through the browser: \`tightknit-sync connect --tenant ${tenant.name}\` (web login with PKCE; the refresh token is stored sealed in the database).`,
        `Or, for an integration user without a browser: \`tightknit-sync connect --tenant ${tenant.name} --client-credentials --login-url https://<domain>.my.salesforce.com\` (the consumer secret is stored sealed).`,
        'Or connect from the console (Connect Salesforce).',
      ],
    },
  );
}

function clientIdOf(opts: TenantConnectOptions, env: NodeJS.ProcessEnv): string {
  const id = opts.clientId ?? env.TIGHTKNIT_CLIENT_ID;
  if (id) return id;
  throw new UsageError('MISSING_OPTION', '--client-id is required to connect (or set TIGHTKNIT_CLIENT_ID).', {
    actions: [
      'The consumer key is in Salesforce Setup → External Client App Manager → Tightknit Salesforce → Settings → OAuth Settings.',
    ],
  });
}

/** The token and what is stored beside it, by the way of connecting asked for. */
async function authorize(
  opts: TenantConnectOptions,
  loginUrl: string,
  clientId: string,
  env: NodeJS.ProcessEnv,
): Promise<{ token: TokenResponse; secrets: StoredCredentials['secrets'] }> {
  const appSecret = opts.clientSecret ?? env.TIGHTKNIT_CLIENT_SECRET;
  if (opts.method === 'client-credentials') {
    if (isGenericLoginHost(loginUrl)) {
      throw new UsageError(
        'MY_DOMAIN_REQUIRED',
        `The client credentials flow does not work through ${loginUrl}: Salesforce only accepts it at the org's My Domain URL.`,
        { actions: ['Pass --login-url https://<your-domain>.my.salesforce.com (Setup → My Domain shows it).'] },
      );
    }
    if (!appSecret) {
      throw new UsageError(
        'MISSING_OPTION',
        '--client-secret is required for --client-credentials (or set TIGHTKNIT_CLIENT_SECRET).',
      );
    }
    const token = await clientCredentialsToken(loginUrl, clientId, appSecret);
    return { token, secrets: { accessToken: token.access_token, clientSecret: appSecret } };
  }
  const token = await webServerLogin({
    loginUrl,
    clientId,
    clientSecret: appSecret,
    callbackUrl: opts.callbackUrl,
    openUrl: opts.openUrl ?? ((): void => undefined),
    onProgress: opts.onProgress,
    timeoutMs: opts.timeoutMs,
  });
  if (!token.refresh_token) {
    await revokeToken(loginUrl, token.access_token).catch(() => false);
    throw new OrgRefusedError(
      'NO_REFRESH_TOKEN',
      'Salesforce issued no refresh token, so the workers could not renew the session; nothing was stored.',
      {
        actions: [
          'Give the External Client App the RefreshToken scope and a refresh token policy other than "Immediately expire", then connect again.',
        ],
      },
    );
  }
  // As the console stores it: the app's consumer secret is the operator's setting, added at renewal.
  return { token, secrets: { accessToken: token.access_token, refreshToken: token.refresh_token } };
}

/**
 * Authorizes the tenant's org and stores the credentials sealed (replacing any: a previous refresh
 * token is revoked), the org id on the tenant and a history line. Returns what `connect` prints.
 */
export async function connectTenantOrg(
  pool: Pool,
  keys: MasterKeys,
  tenant: TenantRef,
  opts: TenantConnectOptions,
): Promise<ConnectionInfo> {
  if (opts.method === 'jwt' || opts.method === 'sf-org') throw notPortable(opts.method, tenant);
  const env = opts.env ?? process.env;
  const loginUrl = normalizeLoginUrl(opts.loginUrl);
  const clientId = clientIdOf(opts, env);
  const { token, secrets } = await authorize(opts, loginUrl, clientId, env);
  const who = await fetchUserInfo(token.instance_url, token.access_token);
  if (!who.orgId) {
    throw new OrgRefusedError('ORG_NOT_IDENTIFIED', 'Salesforce did not say which org signed in; nothing was stored.', {
      actions: ['Connect again; if it persists, check that the app has the openid scope.'],
    });
  }
  const info: ConnectionInfo = {
    method: opts.method,
    loginUrl,
    instanceUrl: token.instance_url,
    clientId,
    orgId: who.orgId,
    ...(who.userId ? { userId: who.userId } : {}),
    ...(who.username ? { username: who.username } : {}),
    connectedAt: new Date().toISOString(),
  };
  const previous = await storedOrgCredentials(pool, keys, tenant);
  await saveTenantCredentials(pool, keys, tenant, { ...info, secrets });
  const old = previous?.secrets.refreshToken;
  if (previous && old && old !== secrets.refreshToken) await revokeToken(previous.loginUrl, old).catch(() => false);
  await recordEvent(
    PgStore.open(pool, tenant.id, `tenant '${tenant.name}'`),
    'connected',
    `Connected to ${info.instanceUrl} as ${info.username ?? 'unknown user'} (${info.method}).`,
  );
  return info;
}

/** What `disconnect` reports, as the embedded command does. */
interface TenantDisconnectResult {
  revoked: boolean;
  note?: string;
  username?: string;
  instanceUrl: string;
}

/** How a revoke went: revoked, or not with a note (`failed`: the org could not be asked, the token may live on). */
export interface Revocation {
  revoked: boolean;
  failed?: boolean;
  note?: string;
}

/** Revokes a stored org token: revoked, already invalid at the org, or failed (unreachable) with the fix. */
export async function revokeOrgCredentials(creds: StoredCredentials): Promise<Revocation> {
  const token = creds.secrets.refreshToken ?? creds.secrets.accessToken;
  if (!token) return { revoked: false, note: 'No token was stored, so there was nothing to revoke.' };
  try {
    const revoked = await revokeToken(creds.loginUrl, token);
    return revoked ? { revoked } : { revoked, note: 'Salesforce said the token was no longer valid.' };
  } catch (err) {
    return {
      revoked: false,
      failed: true,
      note: `The org could not be reached to revoke the token (${err instanceof TightknitError ? err.code : String(err)}). Revoke it in Salesforce: Setup → Connected Apps OAuth Usage → Tightknit Salesforce → Revoke.`,
    };
  }
}

/** Forgets the tenant's org: the sealed credentials and the org id on the tenant. */
export async function forgetTenantOrg(pool: Pool, tenant: TenantRef): Promise<void> {
  await deleteSecret(pool, tenant.id, SALESFORCE_SECRET);
  await setTenantOrg(pool, tenant.id, null);
}

/**
 * Revokes the tenant's token at the org, deletes its sealed credentials and writes the history line;
 * the store and history stay. NOT_CONNECTED when no org is connected, as for a state directory.
 */
export async function disconnectTenantOrg(
  pool: Pool,
  keys: MasterKeys,
  tenant: TenantRef,
): Promise<TenantDisconnectResult> {
  const creds = await storedOrgCredentials(pool, keys, tenant);
  if (!creds) {
    throw new UsageError('NOT_CONNECTED', `No org is connected for tenant '${tenant.name}'.`, {
      actions: [`Run \`tightknit-sync connect --tenant ${tenant.name}\` first.`],
    });
  }
  const r = await revokeOrgCredentials(creds);
  await forgetTenantOrg(pool, tenant);
  await recordEvent(
    PgStore.open(pool, tenant.id, `tenant '${tenant.name}'`),
    'disconnected',
    `Disconnected from ${creds.instanceUrl}${creds.username ? ` (${creds.username})` : ''}; token ${r.revoked ? 'revoked' : 'not revoked at the org'}.`,
  );
  return { ...r, username: creds.username, instanceUrl: creds.instanceUrl };
}
