import { TightknitError } from '../errors';
import { SalesforceClient } from '../salesforce/client';
import type { SalesforceSession } from '../salesforce/http';
import { apiVersion } from './api-version';
import { clientCredentialsToken, jwtToken } from './connect';
import { stateDirCredentials, type CredentialSource } from './credential-store';
import type { KeyOptions } from './encryption';
import { requestToken } from './token-endpoint';
import type { ConnectionInfo, StoredCredentials } from './types';
import { openSfOrg } from './sf-org';

export interface OpenedConnection {
  /** The one Salesforce client, over a session that renews itself. */
  connection: SalesforceClient;
  info: ConnectionInfo;
  /**
   * The error of the last failed token renewal, as a TightknitError (a caller that wrapped or swallowed
   * what a request threw asks here for the reason, e.g. REFRESH_TOKEN_REVOKED).
   */
  renewalFailure(): TightknitError | undefined;
}

/**
 * The state directory's credentials (its key options), or another source of them (a server-mode tenant's).
 * `onRenewed` is called after the access token was renewed and stored (never with the token).
 */
export type OpenConnectionOptions = (KeyOptions | { credentials: CredentialSource }) & { onRenewed?: () => void };

type Renew = () => Promise<string>;

function renewer(creds: StoredCredentials): Renew | undefined {
  const { method, loginUrl, clientId, secrets } = creds;
  if (!clientId) return undefined;
  if (method === 'web' && secrets.refreshToken) {
    const refreshToken = secrets.refreshToken;
    return async () =>
      (
        await requestToken(loginUrl, 'refresh', {
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: clientId,
          ...(secrets.clientSecret ? { client_secret: secrets.clientSecret } : {}),
        })
      ).access_token;
  }
  if (method === 'jwt' && creds.jwtKeyFile && creds.username) {
    const { jwtKeyFile, username } = creds;
    return async () => (await jwtToken(loginUrl, clientId, jwtKeyFile, username)).access_token;
  }
  if (method === 'client-credentials' && secrets.clientSecret) {
    const secret = secrets.clientSecret;
    return async () => (await clientCredentialsToken(loginUrl, clientId, secret)).access_token;
  }
  return undefined;
}

/** Login-server problems (no answer, an answer that is not Salesforce's) while renewing: a passing outage. */
const LOGIN_SERVER_CODES: ReadonlySet<string> = new Set(['LOGIN_URL_UNREACHABLE', 'NOT_A_SALESFORCE_LOGIN']);

/**
 * What a failed renewal means for the run. The org's refusal (REFRESH_TOKEN_REVOKED…) stops it with the
 * fix. A login server that does not answer, or answers with something else than Salesforce (a proxy's
 * error page), is an outage while renewing, not a wrong --login-url (connect checked that): the run
 * fails and the next one tries again.
 */
function renewalError(err: unknown): TightknitError {
  if (err instanceof TightknitError && LOGIN_SERVER_CODES.has(err.code)) {
    return new TightknitError(
      'TOKEN_ENDPOINT_UNAVAILABLE',
      `The access token expired and Salesforce's login server could not renew it now: ${err.message}`,
      1,
      {
        cause: err,
        actions: ['Nothing to change: the next run tries again. If it goes on, check the network or proxy.'],
      },
    );
  }
  return err instanceof TightknitError
    ? err
    : new TightknitError('TOKEN_RENEWAL_FAILED', String(err), 3, { cause: err });
}

/**
 * A session over stored credentials: on a 401 the client calls renew(), which gets a new access token
 * through the token endpoint (refresh token, a new JWT assertion, or client credentials), stores it
 * encrypted and remembers a failure (REFRESH_TOKEN_REVOKED names the reconnect) for renewalFailure().
 */
class StoredSession implements SalesforceSession {
  failure: TightknitError | undefined;

  constructor(
    readonly instanceUrl: string,
    readonly version: string,
    public accessToken: string | undefined,
    private readonly renewFn: Renew | undefined,
    private readonly source: CredentialSource,
    private readonly onRenewed: (() => void) | undefined,
  ) {}

  renew = async (): Promise<void> => {
    if (!this.renewFn) return;
    let accessToken: string;
    try {
      accessToken = await this.renewFn();
    } catch (err) {
      this.failure = renewalError(err);
      throw this.failure;
    }
    this.failure = undefined;
    this.accessToken = accessToken;
    // A failed write only costs one more renewal next time; the request must go on.
    await this.source.saveAccessToken(accessToken).catch(() => undefined);
    this.onRenewed?.();
  };
}

/**
 * Opens the one Salesforce client over the stored credentials. Expired access tokens are renewed
 * transparently and the new access token is stored encrypted; a revoked refresh token surfaces as
 * REFRESH_TOKEN_REVOKED (thrown by the call, and through renewalFailure()).
 */
export async function openConnection(opts: OpenConnectionOptions): Promise<OpenedConnection> {
  const source = 'credentials' in opts ? opts.credentials : stateDirCredentials(opts);
  const creds = await source.load();
  const { secrets, ...info } = creds;

  if (creds.method === 'sf-org') {
    const opened = await openSfOrg(creds.targetOrg ?? '', apiVersion());
    return { connection: opened.connection, info, renewalFailure: opened.renewalFailure };
  }
  const session = new StoredSession(
    creds.instanceUrl,
    apiVersion(),
    secrets.accessToken,
    renewer(creds),
    source,
    opts.onRenewed,
  );
  return { connection: new SalesforceClient(session), info, renewalFailure: () => session.failure };
}
