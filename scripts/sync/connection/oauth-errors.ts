import { OrgRefusedError, TightknitError, UsageError } from '../errors';

/** Which step of a sign-in failed; the same OAuth error code can mean different fixes per step. */
export type OAuthStep = 'authorize' | 'code-exchange' | 'refresh' | 'jwt' | 'client-credentials' | 'revoke';

const PERMITTED_USERS_FIX =
  'In Salesforce Setup → External Client App Manager → Tightknit Salesforce → Policies → Edit → OAuth Policies, ' +
  'click Manage Permission Sets and add Tightknit Integration User (the permission set the integration user holds). ' +
  'Alternatively set Permitted Users to "All users may self-authorize".';

const RECONNECT = 'Run `tightknit-sync connect` again.';

/** What an OAuth failure is matched on: the step, the trimmed code and the code and description lowercased. */
interface OAuthFailure {
  step: OAuthStep;
  code: string;
  text: string;
}

/** One known failure: when it applies, the error code it raises, its message and what to do. */
interface OAuthRule {
  applies: (failure: OAuthFailure) => boolean;
  errorCode: string;
  /** The message; `said` is what Salesforce answered, in parentheses. */
  message: (said: string) => string;
  actions: string[];
}

/** The known failures, in the order they are tried; the first that applies names the error. */
const OAUTH_RULES: readonly OAuthRule[] = [
  {
    applies: ({ text }) =>
      /oauth_app_access_denied|oauth_approval_error_generic|not admin approved|not approved/.test(text),
    errorCode: 'OAUTH_APP_ACCESS_DENIED',
    message: (said) =>
      `The user is not approved to use the Tightknit Salesforce External Client App${said}. ` +
      'Its policy "Admin approved users are pre-authorized" only admits users who hold one of the listed permission sets.',
    actions: [PERMITTED_USERS_FIX, RECONNECT],
  },
  {
    applies: ({ text }) => /api[_ -]?only/.test(text),
    errorCode: 'API_ONLY_USER',
    message: (said) =>
      `This user cannot sign in interactively: it is API-only (Salesforce Integration license or the "API Only User" permission)${said}.`,
    actions: [
      'Sign in as a user with a UI-capable license (Salesforce Platform, Sales or Service Cloud) that holds Tightknit Integration User.',
      'Or keep the API-only user and connect server-to-server: `tightknit-sync connect --client-credentials` (My Domain URL) or `--jwt`.',
    ],
  },
  {
    applies: ({ code }) => code === 'invalid_client_id' || code === 'invalid_client',
    errorCode: 'OAUTH_INVALID_CLIENT',
    message: (said) => `Salesforce does not recognise the consumer key or secret${said}.`,
    actions: [
      'Copy the consumer key (and secret) again from External Client App Manager → Tightknit Salesforce → Settings → OAuth Settings → Consumer Key and Secret.',
      'Check that the login URL points at the org where the package is installed; a new or changed app can take up to 10 minutes to reach every login server.',
    ],
  },
  {
    applies: ({ code }) => code === 'redirect_uri_mismatch',
    errorCode: 'OAUTH_REDIRECT_MISMATCH',
    message: (said) => `The callback URL is not registered on the app${said}.`,
    actions: [
      'Add the callback URL this command printed to External Client App Manager → Tightknit Salesforce → Settings → OAuth Settings → Callback URL, or pass --callback-url with one that is registered.',
    ],
  },
  {
    applies: ({ step, code }) =>
      step === 'refresh' && (code === 'invalid_grant' || code === 'inactive_user' || code === 'invalid_token'),
    errorCode: 'REFRESH_TOKEN_REVOKED',
    message: (said) =>
      `The org no longer accepts the stored connection: the refresh token was revoked or expired${said}. Scheduled syncs stop until you reconnect.`,
    actions: [
      RECONNECT,
      'If this keeps happening, set the Refresh Token Policy of Tightknit Salesforce to "Refresh token is valid until revoked".',
    ],
  },
  {
    applies: ({ step, code, text }) =>
      step === 'client-credentials' && (code === 'unsupported_grant_type' || /client credentials/.test(text)),
    errorCode: 'CLIENT_CREDENTIALS_NOT_ENABLED',
    message: (said) => `The client credentials flow is not enabled for Tightknit Salesforce${said}.`,
    actions: [
      'In External Client App Manager → Tightknit Salesforce: Settings → OAuth Settings → enable Client Credentials Flow; Policies → OAuth Flows and External Client App Enhancements → enable it and set Run As to the integration user (an API-only user is fine).',
    ],
  },
  {
    applies: ({ step, code }) => step === 'jwt' && code === 'invalid_grant',
    errorCode: 'JWT_REJECTED',
    message: (said) => `Salesforce rejected the signed JWT assertion${said}.`,
    actions: [
      'Upload the certificate matching --key-file under Settings → OAuth Settings → Use Digital Signatures, and enable the JWT Bearer Flow.',
      'Check --username (the integration user) and the login URL (test.salesforce.com or a sandbox My Domain for sandboxes).',
      PERMITTED_USERS_FIX,
    ],
  },
  {
    applies: ({ code }) => code === 'invalid_grant' || code === 'invalid_request',
    errorCode: 'OAUTH_INVALID_GRANT',
    message: (said) =>
      `Salesforce refused to issue a token${said}. The authorization code was used, expired, or did not match this sign-in (PKCE verifier).`,
    actions: [`${RECONNECT} Complete the sign-in within a few minutes, in one browser tab.`],
  },
  {
    applies: ({ code }) => code === 'access_denied',
    errorCode: 'OAUTH_ACCESS_DENIED',
    message: (said) => `The sign-in was cancelled or denied${said}.`,
    actions: [
      'Click Allow on the Salesforce consent page.',
      'If you did not see one, check Setup → Login History for the real reason, then run connect again.',
    ],
  },
];

/** The error for a failure no rule knows. */
const UNKNOWN_FAILURE: Omit<OAuthRule, 'applies'> = {
  errorCode: 'OAUTH_FAILED',
  message: (said) => `The sign-in failed${said}.`,
  actions: ['Check Setup → Login History in Salesforce for the reason at the time of your attempt.', RECONNECT],
};

/**
 * Turns an OAuth error answer (from the token endpoint or the authorize redirect) into one error
 * that names the cause and the fix. Codes are Salesforce's; descriptions are matched loosely
 * because Salesforce words them differently per flow.
 */
export function oauthError(step: OAuthStep, error: string, description = '', cause?: unknown): TightknitError {
  const code = error.trim();
  const failure: OAuthFailure = { step, code, text: `${code} ${description}`.toLowerCase() };
  const said = description ? ` (Salesforce said: ${code}: ${description})` : ` (Salesforce said: ${code})`;
  const rule = OAUTH_RULES.find((candidate) => candidate.applies(failure)) ?? UNKNOWN_FAILURE;
  return new OrgRefusedError(rule.errorCode, rule.message(said), { actions: [...rule.actions], cause });
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
