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
  /** The registered certificate's key pair, generated on first use (RSA key generation is slow). */
  keys(): { publicKeyPem: string; privateKeyPem: string };
}

let cachedKeys: { publicKeyPem: string; privateKeyPem: string } | undefined;

function keyPair(): { publicKeyPem: string; privateKeyPem: string } {
  cachedKeys ??= (() => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return {
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  })();
  return cachedKeys;
}

/** Creates the app with fresh consumer credentials (the key pair is shared per process). */
export function createExternalClientApp(): ExternalClientApp {
  return {
    clientId: `3MVG9emulator${randomBytes(24).toString('base64url')}`,
    clientSecret: randomBytes(32).toString('hex').toUpperCase(),
    callbackUrls: ['http://localhost:1717/OauthRedirect'],
    keys: keyPair,
  };
}

/** Callback URLs accepted: the registered ones plus any loopback `/callback` on any port. */
export function isAllowedRedirect(app: ExternalClientApp, uri: string): boolean {
  if (app.callbackUrls.includes(uri)) return true;
  return /^http:\/\/(127\.0\.0\.1|localhost):\d{1,5}\/callback$/.test(uri);
}
