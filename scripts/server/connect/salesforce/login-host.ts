import { TightknitError } from '../../../sync/errors';
import { normalizeLoginUrl } from '../../../sync/connection/login-url';
import { ConnectRefusal } from '../http';

/**
 * The login URL an admin gives for their org, checked twice: the embedded rules (normalizeLoginUrl:
 * a URL, http(s), origin only), then the server's own: the code, the PKCE verifier and the app's
 * consumer secret go to this host, so only Salesforce's hosts are accepted — login.salesforce.com,
 * test.salesforce.com and My Domains (*.my.salesforce.com, sandboxes included) over https — plus
 * loopback http when the settings allow it (the org emulator).
 */
export function serverLoginUrl(raw: string | null, allowLoopback: boolean): string {
  let loginUrl: string;
  try {
    loginUrl = normalizeLoginUrl(raw ?? undefined);
  } catch (err) {
    throw new ConnectRefusal(
      400,
      'Not a login URL',
      err instanceof TightknitError ? `${err.message} ${err.actions.join(' ')}` : 'The login URL is not a URL.',
    );
  }
  const u = new URL(loginUrl);
  const host = u.hostname.toLowerCase();
  const salesforce =
    u.protocol === 'https:' &&
    (host === 'login.salesforce.com' || host === 'test.salesforce.com' || host.endsWith('.my.salesforce.com'));
  const loopback = allowLoopback && u.protocol === 'http:' && (host === '127.0.0.1' || host === 'localhost');
  if (salesforce || loopback) return loginUrl;
  throw new ConnectRefusal(
    400,
    'Not a Salesforce login URL',
    `${loginUrl} is not a Salesforce login host. Use https://login.salesforce.com (production), https://test.salesforce.com (sandbox) or your My Domain URL, e.g. https://acme.my.salesforce.com (Setup → My Domain).`,
  );
}
