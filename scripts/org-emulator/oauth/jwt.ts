import { createVerify } from 'node:crypto';
import { OAuthError } from '../http/errors';

/** Claims the JWT bearer flow reads ("OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration"). */
export interface JwtClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
}

const invalid = (description: string): OAuthError => new OAuthError(400, 'invalid_grant', description);

/**
 * Verifies a JWT bearer assertion: RS256 signature against the app's registered certificate, then
 * the claims. Salesforce requires `iss` = consumer key, `sub` = username, `aud` = the login URL and
 * an `exp` that has not passed. Message texts are the emulator's where Salesforce documents none.
 */
export function verifyJwtAssertion(assertion: string, publicKeyPem: string): JwtClaims {
  const parts = assertion.split('.');
  if (parts.length !== 3) throw invalid('invalid assertion');
  const [h, p, sig] = parts;
  let header: { alg?: string };
  let claims: Partial<JwtClaims>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Partial<JwtClaims>;
  } catch {
    throw invalid('invalid assertion');
  }
  if (header.alg !== 'RS256') throw invalid('invalid assertion');
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${h}.${p}`);
  if (!verifier.verify(publicKeyPem, Buffer.from(sig, 'base64url'))) throw invalid('invalid assertion');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) throw invalid('expired authorization code');
  if (typeof claims.iss !== 'string' || typeof claims.sub !== 'string' || typeof claims.aud !== 'string') {
    throw invalid('invalid assertion');
  }
  return claims as JwtClaims;
}
