import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors';

export interface JwtClaimsInput {
  clientId: string;
  username: string;
  audience: string;
  /** Seconds the assertion stays valid; Salesforce allows at most 3 minutes. */
  lifetimeSeconds?: number;
  now?: Date;
}

/** Builds and RS256-signs a JWT bearer assertion (header.claims.signature, base64url). */
export function signJwtAssertion(privateKeyPem: string, input: JwtClaimsInput): string {
  let key;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch (err) {
    throw new UsageError('JWT_KEY_INVALID', 'The JWT key file is not a PEM private key.', {
      actions: ['Pass --key-file with the RSA private key (PEM) whose certificate you uploaded to the app.'],
      cause: err,
    });
  }
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const header = { alg: 'RS256', typ: 'JWT' };
  const claims = {
    iss: input.clientId,
    sub: input.username,
    aud: input.audience,
    iat,
    exp: iat + (input.lifetimeSeconds ?? 180),
  };
  const encode = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  const signature = sign('RSA-SHA256', Buffer.from(signingInput), key).toString('base64url');
  return `${signingInput}.${signature}`;
}

export function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError('JWT_KEY_UNREADABLE', `Cannot read the JWT key file ${path}.`, {
      actions: ['Check the --key-file path and its permissions.'],
      cause: err,
    });
  }
}
