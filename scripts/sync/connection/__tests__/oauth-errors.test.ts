import { OrgRefusedError } from '../../errors';
import { isGenericLoginHost, jwtAudience, normalizeLoginUrl } from '../login-url';
import { oauthError } from '../oauth-errors';

describe('OAuth errors name the cause and the fix', () => {
  it.each([
    [
      'authorize',
      'OAUTH_APP_ACCESS_DENIED',
      'user is not admin approved to access this app',
      'OAUTH_APP_ACCESS_DENIED',
      /Manage Permission Sets/,
    ],
    ['authorize', 'OAUTH_APPROVAL_ERROR_GENERIC', '', 'OAUTH_APP_ACCESS_DENIED', /Tightknit Integration User/],
    [
      'jwt',
      'invalid_app_access',
      'user is not admin approved to access this app',
      'OAUTH_APP_ACCESS_DENIED',
      /Policies/,
    ],
    ['code-exchange', 'invalid_client_id', 'client identifier invalid', 'OAUTH_INVALID_CLIENT', /Consumer Key/],
    ['client-credentials', 'invalid_client', 'invalid client credentials', 'OAUTH_INVALID_CLIENT', /10 minutes/],
    [
      'client-credentials',
      'unsupported_grant_type',
      'grant type not supported',
      'CLIENT_CREDENTIALS_NOT_ENABLED',
      /Run As/,
    ],
    ['jwt', 'invalid_grant', 'audience is invalid', 'JWT_REJECTED', /certificate/],
    ['refresh', 'invalid_grant', 'expired access/refresh token', 'REFRESH_TOKEN_REVOKED', /tightknit-sync connect/],
    ['code-exchange', 'invalid_grant', 'invalid code verifier', 'OAUTH_INVALID_GRANT', /few minutes/],
    ['authorize', 'redirect_uri_mismatch', '', 'OAUTH_REDIRECT_MISMATCH', /Callback URL/],
    ['authorize', 'access_denied', 'end-user denied authorization', 'OAUTH_ACCESS_DENIED', /Login History/],
    ['authorize', 'API_ONLY_USER', 'api only user', 'API_ONLY_USER', /--client-credentials/],
  ] as const)('%s %s → %s', (step, error, description, code, fix) => {
    const err = oauthError(step, error, description);
    expect(err).toBeInstanceOf(OrgRefusedError);
    expect(err.exitCode).toBe(3);
    expect(err.code).toBe(code);
    expect(err.message).toContain(error);
    expect(err.actions.join(' ')).toMatch(fix);
  });
});

describe('login URLs', () => {
  it('normalizes and tells shared login hosts from My Domains', () => {
    expect(normalizeLoginUrl(undefined)).toBe('https://login.salesforce.com');
    expect(normalizeLoginUrl('acme.my.salesforce.com/')).toBe('https://acme.my.salesforce.com');
    expect(isGenericLoginHost('https://test.salesforce.com')).toBe(true);
    expect(isGenericLoginHost('https://acme.my.salesforce.com')).toBe(false);
  });

  it('uses the shared login host as the JWT audience', () => {
    expect(jwtAudience('https://acme.my.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://acme--uat.sandbox.my.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('https://test.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('http://127.0.0.1:5555')).toBe('http://127.0.0.1:5555');
  });
});
