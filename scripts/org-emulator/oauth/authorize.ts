import { randomBytes } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { EmulatorContext } from '../context';
import { readForm, Reply } from '../http/io';
import { isAllowedRedirect } from './app';
import { loginPage } from './login-page';

/**
 * GET/POST /services/oauth2/authorize: the web server flow with PKCE ("OAuth 2.0 Web Server Flow
 * for Web App Integration"). GET shows the login form; POST checks the credentials and redirects to
 * the callback with `code` and `state`, or with `error`/`error_description` (OAUTH_APP_ACCESS_DENIED
 * for users the app's admin-approved policy does not admit). An API-only user cannot log in here.
 */

const html = (status: number, body: string): Reply => ({ status, body, contentType: 'text/html; charset=UTF-8' });

function redirect(uri: string, params: Record<string, string>): Reply {
  const target = new URL(uri);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  return { status: 302, headers: { Location: target.toString() } };
}

/** Validates client and redirect; errors that cannot be redirected are shown as a page. */
function check(emu: EmulatorContext, params: URLSearchParams): Reply | undefined {
  if (params.get('client_id') !== emu.app.clientId)
    return html(400, 'error=invalid_client_id: client identifier invalid');
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!isAllowedRedirect(emu.app, redirectUri))
    return html(400, 'error=redirect_uri_mismatch: redirect_uri must match configuration');
  const state = params.get('state');
  const withState = (p: Record<string, string>): Record<string, string> => (state ? { ...p, state } : p);
  if (params.get('response_type') !== 'code') {
    return redirect(
      redirectUri,
      withState({ error: 'unsupported_response_type', error_description: 'response type not supported' }),
    );
  }
  if (!params.get('code_challenge')) {
    return redirect(
      redirectUri,
      withState({ error: 'invalid_request', error_description: 'missing required code challenge' }),
    );
  }
  return undefined;
}

/** Handles the authorize endpoint. */
export async function authorizeEndpoint(emu: EmulatorContext, req: IncomingMessage, url: URL): Promise<Reply> {
  const params = req.method === 'POST' ? await readForm(req) : url.searchParams;
  const bad = check(emu, params);
  if (bad) return bad;
  if (req.method !== 'POST') return html(200, loginPage(params));
  const user = emu.org.userByName(params.get('username') ?? '');
  if (!user || user.password !== params.get('pw')) {
    return html(
      200,
      loginPage(
        params,
        "Please check your username and password. If you still can't log in, contact your Salesforce administrator.",
      ),
    );
  }
  if (user.role === 'apiOnly') {
    return html(
      200,
      loginPage(params, 'Your login attempt has failed: API-only users cannot log in to the user interface.'),
    );
  }
  const redirectUri = params.get('redirect_uri') as string;
  const state = params.get('state');
  const withState = (p: Record<string, string>): Record<string, string> => (state ? { ...p, state } : p);
  if (!emu.org.approvedForApp(user)) {
    return redirect(
      redirectUri,
      withState({
        error: 'OAUTH_APP_ACCESS_DENIED',
        error_description: 'user is not admin approved to access this app',
      }),
    );
  }
  const code = `aPrx${randomBytes(24).toString('base64url')}`;
  emu.codes.set(code, {
    userId: user.id,
    redirectUri,
    challenge: params.get('code_challenge') as string,
    expiresAt: Date.now() + 15 * 60 * 1000,
  });
  return redirect(redirectUri, withState({ code }));
}
