import { randomBytes } from 'node:crypto';
import { EmulatorContext } from '../context';
import { Reply } from '../http/io';
import { OrgUser } from '../org';

/**
 * The Single Access UI Bridge API (Salesforce Help, "Generate a Frontdoor URL to Bridge into UI
 * Sessions"): `/services/oauth2/singleaccess` trades an access token for a one-time frontdoor URL,
 * which `sf org open` prints or opens. The emulator has no Lightning UI, so the frontdoor page only
 * says who it signed in and where the org would have gone; the URL works once, for two minutes [EMU].
 */

const OTP_LIFETIME_MS = 2 * 60 * 1000;

const html = (status: number, body: string): Reply => ({ status, body, contentType: 'text/html; charset=UTF-8' });

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** GET or POST /services/oauth2/singleaccess[?redirect_uri=/path]: `{frontdoor_uri}`. */
export function singleAccess(emu: EmulatorContext, user: OrgUser, url: URL): Reply {
  const otp = randomBytes(24).toString('base64url');
  const startUrl = url.searchParams.get('redirect_uri') ?? '/';
  emu.frontdoorOtps.set(otp, { userId: user.id, startUrl, expiresAt: Date.now() + OTP_LIFETIME_MS });
  const frontdoor = new URL('/secur/frontdoor.jsp', emu.instanceUrl);
  frontdoor.searchParams.set('otp', otp);
  if (startUrl !== '/') frontdoor.searchParams.set('startURL', startUrl);
  return { status: 200, body: { frontdoor_uri: frontdoor.toString() } };
}

/** GET /secur/frontdoor.jsp?otp=…: spends the one-time password. */
export function frontdoorPage(emu: EmulatorContext, url: URL): Reply {
  const otp = url.searchParams.get('otp') ?? '';
  const grant = emu.frontdoorOtps.get(otp);
  emu.frontdoorOtps.delete(otp);
  const user = grant && grant.expiresAt > Date.now() ? emu.org.userById(grant.userId) : undefined;
  if (!grant || !user) {
    return html(400, '<!DOCTYPE html><title>Session expired</title><p>This link has expired or was already used.</p>');
  }
  return html(
    200,
    `<!DOCTYPE html>
<html lang="en">
  <head><meta charset="utf-8"><title>Tightknit org emulator</title></head>
  <body>
    <h1>Signed in as ${esc(user.username)}</h1>
    <p>This is the Tightknit org emulator: it serves the REST, Bulk and OAuth APIs, not Salesforce's pages.</p>
    <p>A real org would open <code>${esc(grant.startUrl)}</code> now.</p>
  </body>
</html>
`,
  );
}
