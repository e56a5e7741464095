import { OrgRefusedError, TightknitError, UsageError } from '../errors';

/** Which step of a sign-in failed; the same OAuth error code can mean different fixes per step. */
export type OAuthStep = 'authorize' | 'code-exchange' | 'refresh' | 'jwt' | 'client-credentials' | 'revoke';

const PERMITTED_USERS_FIX =
  'In Salesforce Setup → External Client App Manager → Tightknit Salesforce → Policies → Edit → OAuth Policies, ' +
  'click Manage Permission Sets and add Tightknit Integration User (the permission set the integration user holds). ' +
  'Alternatively set Permitted Users to "All users may self-authorize".';

const RECONNECT = 'Run `tightknit-sync connect` again.';

/**
 * Turns an OAuth error answer (from the token endpoint or the authorize redirect) into one error
 * that names the cause and the fix. Codes are Salesforce's; descriptions are matched loosely
 * because Salesforce words them differently per flow.
 */
export function oauthError(step: OAuthStep, error: string, description = '', cause?: unknown): TightknitError {
  const code = error.trim();
  const text = `${code} ${description}`.toLowerCase();
  const said = description ? ` (Salesforce said: ${code}: ${description})` : ` (Salesforce said: ${code})`;

  if (/oauth_app_access_denied|oauth_approval_error_generic|not admin approved|not approved/.test(text)) {
    return new OrgRefusedError(
      'OAUTH_APP_ACCESS_DENIED',
      `The user is not approved to use the Tightknit Salesforce External Client App${said}. ` +
        'Its policy "Admin approved users are pre-authorized" only admits users who hold one of the listed permission sets.',
      { actions: [PERMITTED_USERS_FIX, RECONNECT], cause },
    );
  }
  if (/api[_ -]?only/.test(text)) {
    return new OrgRefusedError(
      'API_ONLY_USER',
      `This user cannot sign in interactively: it is API-only (Salesforce Integration license or the "API Only User" permission)${said}.`,
      {
        actions: [
          'Sign in as a user with a UI-capable license (Salesforce Platform, Sales or Service Cloud) that holds Tightknit Integration User.',
          'Or keep the API-only user and connect server-to-server: `tightknit-sync connect --client-credentials` (My Domain URL) or `--jwt`.',
        ],
        cause,
      },
    );
  }
  if (code === 'invalid_client_id' || code === 'invalid_client') {
    return new OrgRefusedError(
      'OAUTH_INVALID_CLIENT',
      `Salesforce does not recognise the consumer key or secret${said}.`,
      {
        actions: [
          'Copy the consumer key (and secret) again from External Client App Manager → Tightknit Salesforce → Settings → OAuth Settings → Consumer Key and Secret.',
          'Check that the login URL points at the org where the package is installed; a new or changed app can take up to 10 minutes to reach every login server.',
        ],
        cause,
      },
    );
  }
  if (code === 'redirect_uri_mismatch') {
    return new OrgRefusedError('OAUTH_REDIRECT_MISMATCH', `The callback URL is not registered on the app${said}.`, {
      actions: [
        'Add the callback URL this command printed to External Client App Manager → Tightknit Salesforce → Settings → OAuth Settings → Callback URL, or pass --callback-url with one that is registered.',
      ],
      cause,
    });
  }
  if (step === 'refresh' && (code === 'invalid_grant' || code === 'inactive_user' || code === 'invalid_token')) {
    return new OrgRefusedError(
      'REFRESH_TOKEN_REVOKED',
      `The org no longer accepts the stored connection: the refresh token was revoked or expired${said}. Scheduled syncs stop until you reconnect.`,
      {
        actions: [
          RECONNECT,
          'If this keeps happening, set the Refresh Token Policy of Tightknit Salesforce to "Refresh token is valid until revoked".',
        ],
        cause,
      },
    );
  }
  if (step === 'client-credentials' && (code === 'unsupported_grant_type' || /client credentials/.test(text))) {
    return new OrgRefusedError(
      'CLIENT_CREDENTIALS_NOT_ENABLED',
      `The client credentials flow is not enabled for Tightknit Salesforce${said}.`,
      {
        actions: [
          'In External Client App Manager → Tightknit Salesforce: Settings → OAuth Settings → enable Client Credentials Flow; Policies → OAuth Flows and External Client App Enhancements → enable it and set Run As to the integration user (an API-only user is fine).',
        ],
        cause,
      },
    );
  }
  if (step === 'jwt' && code === 'invalid_grant') {
    return new OrgRefusedError('JWT_REJECTED', `Salesforce rejected the signed JWT assertion${said}.`, {
      actions: [
        'Upload the certificate matching --key-file under Settings → OAuth Settings → Use Digital Signatures, and enable the JWT Bearer Flow.',
        'Check --username (the integration user) and the login URL (test.salesforce.com or a sandbox My Domain for sandboxes).',
        PERMITTED_USERS_FIX,
      ],
      cause,
    });
  }
  if (code === 'invalid_grant' || code === 'invalid_request') {
    return new OrgRefusedError(
      'OAUTH_INVALID_GRANT',
      `Salesforce refused to issue a token${said}. The authorization code was used, expired, or did not match this sign-in (PKCE verifier).`,
      { actions: [`${RECONNECT} Complete the sign-in within a few minutes, in one browser tab.`], cause },
    );
  }
  if (code === 'access_denied') {
    return new OrgRefusedError('OAUTH_ACCESS_DENIED', `The sign-in was cancelled or denied${said}.`, {
      actions: [
        'Click Allow on the Salesforce consent page.',
        'If you did not see one, check Setup → Login History for the real reason, then run connect again.',
      ],
      cause,
    });
  }
  return new OrgRefusedError('OAUTH_FAILED', `The sign-in failed${said}.`, {
    actions: ['Check Setup → Login History in Salesforce for the reason at the time of your attempt.', RECONNECT],
    cause,
  });
}

/** The login host could not be reached, or answered like something that is not a Salesforce login server. */
export function loginUrlError(loginUrl: string, reason: 'unreachable' | 'not-salesforce', cause?: unknown): UsageError {
  const detail =
    reason === 'unreachable'
      ? `Could not reach ${loginUrl}`
      : `${loginUrl} answered, but not like a Salesforce login server`;
  return new UsageError(reason === 'unreachable' ? 'LOGIN_URL_UNREACHABLE' : 'NOT_A_SALESFORCE_LOGIN', `${detail}.`, {
    actions: [
      'Use --login-url https://login.salesforce.com (production), https://test.salesforce.com (sandbox) or your My Domain URL (Setup → My Domain), e.g. https://acme.my.salesforce.com.',
      'Check the spelling and your network or proxy.',
    ],
    cause,
  });
}
