import { UsageError } from '../errors';

const PRODUCTION_LOGIN_URL = 'https://login.salesforce.com';
const SANDBOX_LOGIN_URL = 'https://test.salesforce.com';

/** Parses and normalizes a login URL (origin only, no trailing slash); a readable error when it is not a URL. */
export function normalizeLoginUrl(raw: string | undefined): string {
  const value = (raw ?? PRODUCTION_LOGIN_URL).trim();
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`);
  } catch (err) {
    throw new UsageError('INVALID_LOGIN_URL', `"${value}" is not a login URL.`, {
      actions: [
        'Use https://login.salesforce.com (production), https://test.salesforce.com (sandbox) or your My Domain URL, e.g. https://acme.my.salesforce.com.',
      ],
      cause: err,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError('INVALID_LOGIN_URL', `"${value}" is not an http(s) URL.`, {
      actions: ['Use https://login.salesforce.com, https://test.salesforce.com or your My Domain URL.'],
    });
  }
  return url.origin;
}

/** login.salesforce.com and test.salesforce.com: shared login hosts, not an org's own My Domain. */
export function isGenericLoginHost(loginUrl: string): boolean {
  const host = new URL(loginUrl).hostname.toLowerCase();
  return host === 'login.salesforce.com' || host === 'test.salesforce.com';
}

/**
 * The JWT `aud` claim: Salesforce expects the shared login host, not the My Domain
 * (test.salesforce.com for sandboxes). Any other host (a local emulator) is its own audience.
 */
export function jwtAudience(loginUrl: string): string {
  const host = new URL(loginUrl).hostname.toLowerCase();
  if (isGenericLoginHost(loginUrl)) return new URL(loginUrl).origin;
  if (host.endsWith('.sandbox.my.salesforce.com')) return SANDBOX_LOGIN_URL;
  if (host.endsWith('.my.salesforce.com')) return PRODUCTION_LOGIN_URL;
  return new URL(loginUrl).origin;
}
