import { UsageError } from '../errors';
import type { KeyOptions, KeySource } from './encryption';
import { saveCredentials } from './credential-store';
import { readKeyFile, signJwtAssertion } from './jwt';
import { isGenericLoginHost, jwtAudience, normalizeLoginUrl } from './login-url';
import { fetchUserInfo, requestToken } from './token-endpoint';
import type { AuthMethod, ConnectionInfo, ConnectProgress, StoredCredentials, TokenResponse } from './types';
import { openSfOrg, whoAmI } from './sf-org';
import { apiVersion } from './api-version';
import { webServerLogin } from './web-flow';

const CLIENT_ID_ENV_VAR = 'TIGHTKNIT_CLIENT_ID';
const CLIENT_SECRET_ENV_VAR = 'TIGHTKNIT_CLIENT_SECRET';

export interface ConnectOptions extends KeyOptions {
  method: AuthMethod;
  loginUrl?: string;
  clientId?: string;
  clientSecret?: string;
  /** web: the registered loopback callback URL. */
  callbackUrl?: string;
  /** web: opens the authorize URL (browser in the CLI, a scripted login in tests). */
  openUrl?: (url: string) => void | Promise<void>;
  /** jwt */
  keyFile?: string;
  username?: string;
  audience?: string;
  /** sf-org: an alias or username authorized with `sf org login`. */
  targetOrg?: string;
  onProgress?: ConnectProgress;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ConnectResult {
  info: ConnectionInfo;
  keySource?: KeySource;
  /** Set when the credentials key sits in the state directory. */
  warning?: string;
}

function required(value: string | undefined, flag: string, env?: string): string {
  if (value) return value;
  throw new UsageError(
    'MISSING_OPTION',
    `${flag} is required for this way of connecting${env ? ` (or set ${env})` : ''}.`,
    {
      actions: [
        'The consumer key and secret are in Salesforce Setup → External Client App Manager → Tightknit Salesforce → Settings → OAuth Settings → Consumer Key and Secret.',
      ],
    },
  );
}

/** The JWT bearer assertion exchange, shared by connect and by token renewal. */
export async function jwtToken(
  loginUrl: string,
  clientId: string,
  keyFile: string,
  username: string,
  audience?: string,
): Promise<TokenResponse> {
  const assertion = signJwtAssertion(readKeyFile(keyFile), {
    clientId,
    username,
    audience: audience ?? jwtAudience(loginUrl),
  });
  return requestToken(loginUrl, 'jwt', { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
}

/** The client credentials exchange, shared by connect and by token renewal. */
export async function clientCredentialsToken(
  loginUrl: string,
  clientId: string,
  clientSecret: string,
): Promise<TokenResponse> {
  return requestToken(loginUrl, 'client-credentials', {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  });
}

/**
 * Authorizes an org by one of four methods and stores the result encrypted in the state directory.
 * Returns the connection info (no secrets). Core function: the CLI only parses flags and renders.
 */
export async function connect(opts: ConnectOptions): Promise<ConnectResult> {
  const env = opts.env ?? process.env;
  const say = opts.onProgress ?? ((): void => undefined);
  const connectedAt = new Date().toISOString();

  if (opts.method === 'sf-org') return connectSfOrg(required(opts.targetOrg, '--target-org'), opts, connectedAt);

  const loginUrl = normalizeLoginUrl(opts.loginUrl);
  const clientId = required(opts.clientId ?? env[CLIENT_ID_ENV_VAR], '--client-id', CLIENT_ID_ENV_VAR);
  let token: TokenResponse;
  const extra: Partial<StoredCredentials> = {};
  const secrets: StoredCredentials['secrets'] = {};

  if (opts.method === 'web') {
    token = await webServerLogin({
      loginUrl,
      clientId,
      clientSecret: opts.clientSecret ?? env[CLIENT_SECRET_ENV_VAR],
      callbackUrl: opts.callbackUrl,
      openUrl: opts.openUrl ?? ((): void => undefined),
      onProgress: say,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
    });
    if (opts.clientSecret ?? env[CLIENT_SECRET_ENV_VAR])
      secrets.clientSecret = opts.clientSecret ?? env[CLIENT_SECRET_ENV_VAR];
    if (!token.refresh_token)
      say(
        'Salesforce issued no refresh token: add the RefreshToken scope to the app, or syncs stop when the session expires.',
      );
  } else if (opts.method === 'jwt') {
    const keyFile = required(opts.keyFile, '--key-file');
    const username = required(opts.username, '--username');
    token = await jwtToken(loginUrl, clientId, keyFile, username, opts.audience);
    extra.jwtKeyFile = keyFile;
    extra.username = username;
  } else {
    if (isGenericLoginHost(loginUrl)) {
      throw new UsageError(
        'MY_DOMAIN_REQUIRED',
        `The client credentials flow does not work through ${loginUrl}: Salesforce only accepts it at the org's My Domain URL.`,
        { actions: ['Pass --login-url https://<your-domain>.my.salesforce.com (Setup → My Domain shows it).'] },
      );
    }
    const clientSecret = required(
      opts.clientSecret ?? env[CLIENT_SECRET_ENV_VAR],
      '--client-secret',
      CLIENT_SECRET_ENV_VAR,
    );
    token = await clientCredentialsToken(loginUrl, clientId, clientSecret);
    secrets.clientSecret = clientSecret;
  }

  secrets.accessToken = token.access_token;
  if (token.refresh_token) secrets.refreshToken = token.refresh_token;
  const who = await fetchUserInfo(token.instance_url, token.access_token);
  const info: ConnectionInfo = {
    method: opts.method,
    loginUrl,
    instanceUrl: token.instance_url,
    clientId,
    username: who.username ?? extra.username,
    userId: who.userId,
    orgId: who.orgId,
    ...(extra.jwtKeyFile ? { jwtKeyFile: extra.jwtKeyFile } : {}),
    connectedAt,
  };
  const saved = await saveCredentials({ ...info, secrets }, opts);
  return { info, ...saved };
}

/**
 * Reuses an org the sf CLI authorized: checks its session works (renewing it through the sf CLI's store
 * if it expired) and records only the alias; the tokens stay in the sf CLI's own encrypted store.
 */
async function connectSfOrg(target: string, opts: ConnectOptions, connectedAt: string): Promise<ConnectResult> {
  const opened = await openSfOrg(target, apiVersion());
  const who = await whoAmI(opened, apiVersion());
  const info: ConnectionInfo = {
    method: 'sf-org',
    targetOrg: target,
    loginUrl: opened.loginUrl ?? opened.instanceUrl,
    instanceUrl: opened.instanceUrl,
    username: opened.username,
    ...(who.userId ? { userId: who.userId } : {}),
    ...(who.orgId ? { orgId: who.orgId } : {}),
    ...(opened.clientId ? { clientId: opened.clientId } : {}),
    connectedAt,
  };
  const saved = await saveCredentials({ ...info, secrets: {} }, opts);
  opts.onProgress?.(
    `Using the sf CLI's authorization for ${info.username ?? target}; its tokens stay in the sf CLI's own encrypted store.`,
  );
  if (opened.renewal === 'none') {
    opts.onProgress?.(
      `That login was made from an access token and cannot renew itself: when it expires, log in again with sf org login web --alias ${target}.`,
    );
  }
  return { info, ...saved };
}
