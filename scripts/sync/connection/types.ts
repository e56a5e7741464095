import type { AuthMethod } from '../domain';

/** How a connection was authorized. `sf-org` reuses an org the sf CLI already authorized. */
export type { AuthMethod } from '../domain';

/** The secret part of a connection: only ever stored encrypted, never printed or logged. */
export interface ConnectionSecrets {
  accessToken?: string;
  refreshToken?: string;
  clientSecret?: string;
}

/** Everything needed to talk to the org again, without the secrets. Safe to show. */
export interface ConnectionInfo {
  method: AuthMethod;
  loginUrl: string;
  instanceUrl: string;
  clientId?: string;
  username?: string;
  userId?: string;
  orgId?: string;
  /** JWT bearer: where the private key lives (the key itself is not copied). */
  jwtKeyFile?: string;
  /** sf-org: the alias or username known to the sf CLI. */
  targetOrg?: string;
  connectedAt: string;
}

export interface StoredCredentials extends ConnectionInfo {
  secrets: ConnectionSecrets;
}

/** The token endpoint's success answer (the fields the sync uses). */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  instance_url: string;
  id?: string;
  issued_at?: string;
  scope?: string;
  token_type?: string;
}

/** A few lines of the sign-in, for the CLI to show (never containing a token). */
export type ConnectProgress = (message: string) => void;
