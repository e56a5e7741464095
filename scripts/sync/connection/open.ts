import { Connection } from '@jsforce/jsforce-node';
import { TightknitError } from '../errors';
import { apiVersion } from './api-version';
import { clientCredentialsToken, jwtToken } from './connect';
import { stateDirCredentials, type CredentialSource } from './credential-store';
import type { KeyOptions } from './encryption';
import { requestToken } from './token-endpoint';
import type { ConnectionInfo, StoredCredentials } from './types';
import { openSfOrg } from './sf-org';

export interface OpenedConnection {
  connection: Connection;
  info: ConnectionInfo;
  /**
   * The error of the last failed token renewal, as a TightknitError (jsforce wraps refresh errors in a
   * plain Error, so callers ask here instead of inspecting what a request threw).
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

/**
 * Opens a jsforce Connection from the stored credentials. Expired access tokens are renewed
 * transparently (refresh token, a new JWT assertion, or client credentials) and the new access token
 * is stored encrypted; a revoked refresh token surfaces as REFRESH_TOKEN_REVOKED through renewalFailure().
 */
export async function openConnection(opts: OpenConnectionOptions): Promise<OpenedConnection> {
  const source = 'credentials' in opts ? opts.credentials : stateDirCredentials(opts);
  const creds = await source.load();
  const { secrets, ...info } = creds;

  if (creds.method === 'sf-org') {
    const opened = await openSfOrg(creds.targetOrg ?? '', apiVersion());
    return { connection: opened.connection, info, renewalFailure: opened.renewalFailure };
  }

  let failure: TightknitError | undefined;
  const renew = renewer(creds);
  const renewInto = async (
    callback: (err: Error | null, accessToken?: string) => void,
    renewFn: Renew,
  ): Promise<void> => {
    let accessToken: string;
    try {
      accessToken = await renewFn();
    } catch (err) {
      failure =
        err instanceof TightknitError
          ? err
          : new TightknitError('TOKEN_RENEWAL_FAILED', String(err), 3, { cause: err });
      callback(failure);
      return;
    }
    failure = undefined;
    // A failed write only costs one more renewal next time; the request must go on.
    await source.saveAccessToken(accessToken).catch(() => undefined);
    opts.onRenewed?.();
    callback(null, accessToken);
  };
  const connection = new Connection({
    instanceUrl: creds.instanceUrl,
    accessToken: secrets.accessToken,
    version: apiVersion(),
    ...(renew ? { refreshFn: (_conn, callback) => void renewInto(callback, renew) } : {}),
  });
  return { connection, info, renewalFailure: () => failure };
}
