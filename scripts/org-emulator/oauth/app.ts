import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * The "Tightknit Salesforce" External Client App as the emulated org holds it: consumer key and
 * secret (global OAuth settings, never in the repository), callback URLs, the certificate for the
 * JWT bearer flow, and the policies the emulator enforces (PKCE required, admin-approved users).
 */
export interface ExternalClientApp {
  clientId: string;
  clientSecret: string;
  callbackUrls: string[];
  publicKeyPem: string;
  privateKeyPem: string;
}

let cachedKeys: { publicKeyPem: string; privateKeyPem: string } | undefined;

/** Creates the app with fresh credentials (the RSA key pair is generated once per process: it takes ~100 ms). */
export function createExternalClientApp(): ExternalClientApp {
  cachedKeys ??= (() => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return {
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  })();
  return {
    clientId: `3MVG9emulator${randomBytes(24).toString('base64url')}`,
    clientSecret: randomBytes(32).toString('hex').toUpperCase(),
    callbackUrls: ['http://localhost:1717/OauthRedirect'],
    ...cachedKeys,
  };
}

/** Callback URLs accepted: the registered ones plus any loopback `/callback` on any port. */
export function isAllowedRedirect(app: ExternalClientApp, uri: string): boolean {
  if (app.callbackUrls.includes(uri)) return true;
  return /^http:\/\/(127\.0\.0\.1|localhost):\d{1,5}\/callback$/.test(uri);
}
