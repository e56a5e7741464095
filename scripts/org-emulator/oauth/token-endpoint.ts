import { createHash } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { EmulatorContext } from '../context';
import { OAuthError } from '../http/errors';
import { readForm, Reply } from '../http/io';
import { OrgUser } from '../org';
import { tokenResponse } from './identity';
import { verifyJwtAssertion } from './jwt';

/**
 * POST /services/oauth2/token: authorization_code (with PKCE), refresh_token, client_credentials
 * (runs as the integration user, no refresh token) and the JWT bearer grant. Errors are the
 * `{error, error_description}` pairs Salesforce returns ("OAuth 2.0 ... Flow" Help pages and the
 * troubleshooting article on JWT errors).
 */

const invalidClientId = (): OAuthError => new OAuthError(400, 'invalid_client_id', 'client identifier invalid');
const invalidClient = (): OAuthError => new OAuthError(400, 'invalid_client', 'invalid client credentials');

function clientFromRequest(req: IncomingMessage, form: URLSearchParams): { id?: string; secret?: string } {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const [id, secret] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret ?? '') };
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

function checkUserMayUseApp(emu: EmulatorContext, user: OrgUser): void {
  if (!emu.org.approvedForApp(user)) {
    throw new OAuthError(400, 'invalid_app_access', 'user is not admin approved to access this app');
  }
}

/** Handles a token request. */
export async function tokenEndpoint(emu: EmulatorContext, req: IncomingMessage): Promise<Reply> {
  const form = await readForm(req);
  const grant = form.get('grant_type');
  const client = clientFromRequest(req, form);
  const app = emu.app;
  const requireClient = (secretRequired: boolean): void => {
    if (client.id !== app.clientId) throw invalidClientId();
    if ((secretRequired || client.secret !== undefined) && client.secret !== app.clientSecret) throw invalidClient();
  };
  const ok = (user: OrgUser, access: string, refresh?: string): Reply => ({
    status: 200,
    body: tokenResponse(emu, user, access, refresh),
  });
  switch (grant) {
    case 'client_credentials': {
      requireClient(true);
      const user = emu.org.users.integration;
      const { accessToken } = emu.tokens.issue(user, app.clientId, false);
      return ok(user, accessToken);
    }
    case 'refresh_token': {
      requireClient(false);
      const refreshed = emu.tokens.refreshAccess(form.get('refresh_token') ?? '', app.clientId);
      if (!refreshed) throw new OAuthError(400, 'invalid_grant', 'expired access/refresh token');
      return ok(refreshed.user, refreshed.accessToken);
    }
    case 'authorization_code': {
      requireClient(false);
      const code = form.get('code') ?? '';
      const pending = emu.codes.get(code);
      emu.codes.delete(code);
      if (!pending || pending.expiresAt < Date.now())
        throw new OAuthError(400, 'invalid_grant', 'invalid authorization code');
      if (form.get('redirect_uri') !== pending.redirectUri)
        throw new OAuthError(400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
      const verifier = form.get('code_verifier');
      if (!verifier) throw new OAuthError(400, 'invalid_grant', 'invalid code verifier');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (challenge !== pending.challenge) throw new OAuthError(400, 'invalid_grant', 'invalid code verifier');
      const user = emu.org.userById(pending.userId) as OrgUser;
      const { accessToken, refreshToken } = emu.tokens.issue(user, app.clientId, true);
      return ok(user, accessToken, refreshToken);
    }
    case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
      const claims = verifyJwtAssertion(form.get('assertion') ?? '', app.keys().publicKeyPem);
      if (claims.iss !== app.clientId) throw invalidClientId();
      const audiences = [emu.loginUrl, `${emu.loginUrl}/`, emu.instanceUrl, `${emu.instanceUrl}/`];
      if (!audiences.includes(claims.aud)) throw new OAuthError(400, 'invalid_grant', 'audience is invalid');
      const user = emu.org.userByName(claims.sub);
      if (!user) throw new OAuthError(400, 'invalid_grant', "user hasn't approved this consumer");
      checkUserMayUseApp(emu, user);
      const { accessToken } = emu.tokens.issue(user, app.clientId, false);
      return ok(user, accessToken);
    }
    default:
      throw new OAuthError(400, 'unsupported_grant_type', 'grant type not supported');
  }
}

/** POST (form `token=`) or GET (`?token=`) /services/oauth2/revoke. */
export async function revokeEndpoint(emu: EmulatorContext, req: IncomingMessage, url: URL): Promise<Reply> {
  const token = req.method === 'POST' ? (await readForm(req)).get('token') : url.searchParams.get('token');
  if (!token) throw new OAuthError(400, 'unsupported_token_type', 'this token type is not supported');
  if (!emu.tokens.revoke(token)) throw new OAuthError(400, 'invalid_token', 'invalid token');
  return { status: 200, body: '' };
}
