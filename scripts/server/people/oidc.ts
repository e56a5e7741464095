import * as client from 'openid-client';
import type { Pool } from 'pg';
import { UsageError } from '../../sync/errors';
import { OIDC_CLIENT_ID_ENV, OIDC_CLIENT_SECRET_ENV, OIDC_ISSUER_ENV, PUBLIC_URL_ENV } from './settings';
import { hashToken } from './tokens';

/** How long a person has between leaving for the identity provider and coming back. */
const ATTEMPT_MINUTES = 10;

/** The identity provider as the people layer uses it. */
export interface OidcClient {
  config: client.Configuration;
  /** Where the provider sends the person back: <public URL>/auth/oidc/callback. */
  redirectUri: string;
}

interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The server's public URL (https in production); the callback path is appended. */
  publicUrl: string;
}

/** The settings from the environment, or undefined when single sign-on is not configured (no issuer). */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OidcSettings | undefined {
  const issuer = env[OIDC_ISSUER_ENV];
  if (!issuer) return undefined;
  const missing = [OIDC_CLIENT_ID_ENV, OIDC_CLIENT_SECRET_ENV, PUBLIC_URL_ENV].filter((n) => !env[n]);
  if (missing.length) {
    throw new UsageError(
      'OIDC_SETTINGS_MISSING',
      `${OIDC_ISSUER_ENV} is set, so single sign-on needs ${missing.join(' and ')} too (docs/people.md).`,
    );
  }
  return {
    issuer,
    clientId: env[OIDC_CLIENT_ID_ENV]!,
    clientSecret: env[OIDC_CLIENT_SECRET_ENV]!,
    publicUrl: env[PUBLIC_URL_ENV]!,
  };
}

const loopback = (u: URL): boolean => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);

/**
 * Reads the provider's discovery document. Plain http is accepted only for a provider on this machine
 * (tests, a local provider); anything else must be https.
 */
export async function discoverOidc(settings: OidcSettings): Promise<OidcClient> {
  const issuer = new URL(settings.issuer);
  const options =
    issuer.protocol === 'http:' && loopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined;
  let config: client.Configuration;
  try {
    // client_secret_basic: the specification's default, which every provider accepts.
    config = await client.discovery(
      issuer,
      settings.clientId,
      settings.clientSecret,
      client.ClientSecretBasic(settings.clientSecret),
      options,
    );
  } catch (err) {
    throw new UsageError(
      'OIDC_DISCOVERY_FAILED',
      `Could not read the identity provider's discovery document at ${issuer.origin}${issuer.pathname} (${(err as Error).message}). Check ${OIDC_ISSUER_ENV}.`,
      { cause: err },
    );
  }
  // openid-client trusts an ID token from the token endpoint on TLS alone (as OpenID Connect allows);
  // we check its signature against the provider's keys as well.
  client.enableNonRepudiationChecks(config);
  return { config, redirectUri: new URL('/auth/oidc/callback', settings.publicUrl).toString() };
}

/**
 * The provider's authorization URL for a new sign-in: authorization code with PKCE (S256), a random
 * state and nonce. The state (hashed), nonce and verifier are kept in the database until the callback,
 * so any server process may receive it.
 */
export async function startSignIn(pool: Pool, oidc: OidcClient, invitationToken?: string): Promise<URL> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  await pool.query('DELETE FROM oidc_attempts WHERE expires_at < now()');
  await pool.query(
    `INSERT INTO oidc_attempts (state_hash, nonce, code_verifier, invitation_token_hash, expires_at)
     VALUES ($1, $2, $3, $4, now() + interval '${ATTEMPT_MINUTES} minutes')`,
    [hashToken(state), nonce, verifier, invitationToken ? hashToken(invitationToken) : null],
  );
  return client.buildAuthorizationUrl(oidc.config, {
    redirect_uri: oidc.redirectUri,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
}

/** What openid-client's error says, in words: the provider's error code, or the ID token claim that failed. */
function why(err: unknown): string {
  const e = err as { message: string; error?: string; error_description?: string; cause?: unknown };
  if (e.error) return `${e.error}${e.error_description ? ` (${e.error_description})` : ''}`;
  // openid-client wraps oauth4webapi's precise error ('unexpected JWT "aud" (audience) claim value').
  return e.cause instanceof Error ? e.cause.message : e.message;
}

/** A sign-in the callback refused, with the reason for the person and for the audit trail. */
export class OidcRefused extends Error {}

/**
 * Completes a sign-in at the callback: the state must be one this server issued (used once), the code
 * is exchanged with the PKCE verifier, and the ID token checked (signature, issuer, audience, expiry,
 * nonce) by openid-client. Returns the verified email and the invitation the sign-in came for, if any.
 */
export async function finishSignIn(
  pool: Pool,
  oidc: OidcClient,
  callbackUrl: URL,
): Promise<{ email: string; invitationTokenHash: string | null }> {
  const state = callbackUrl.searchParams.get('state') ?? '';
  const { rows } = await pool.query<{ nonce: string; code_verifier: string; invitation_token_hash: string | null }>(
    'DELETE FROM oidc_attempts WHERE state_hash = $1 AND expires_at > now() RETURNING nonce, code_verifier, invitation_token_hash',
    [hashToken(state)],
  );
  const attempt = rows[0];
  if (!attempt) throw new OidcRefused('unknown or expired state (start the sign-in again)');
  let claims: client.IDToken | undefined;
  try {
    const tokens = await client.authorizationCodeGrant(oidc.config, callbackUrl, {
      pkceCodeVerifier: attempt.code_verifier,
      expectedState: state,
      expectedNonce: attempt.nonce,
      idTokenExpected: true,
    });
    claims = tokens.claims();
  } catch (err) {
    throw new OidcRefused(`the identity provider's answer was refused: ${why(err)}`);
  }
  const email = typeof claims?.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email) throw new OidcRefused('the ID token carries no email (ask for the email scope)');
  // Entra ID states a verified domain-owned email with its optional claim xms_edov, not email_verified.
  if (claims?.email_verified !== true && claims?.xms_edov !== true) {
    throw new OidcRefused(`the identity provider has not verified ${email}`);
  }
  return { email, invitationTokenHash: attempt.invitation_token_hash };
}
