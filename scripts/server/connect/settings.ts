import { UsageError } from '../../sync/errors';

/** The Slack app every tenant installs ("One Slack app for many workspaces"). */
export interface SlackAppSettings {
  /** Basic Information → App Credentials → Client ID. */
  clientId: string;
  /** Basic Information → App Credentials → Client Secret. */
  clientSecret: string;
  /** Basic Information → App Credentials → Signing Secret: one for every workspace's events. */
  signingSecret: string;
  /** The app's id (A…): events carrying another `api_app_id` are ignored. Unset: not checked. */
  appId?: string;
  /** Web API base, default https://slack.com/api/ (the Slack emulator's `apiUrl` in tests). */
  apiUrl: string;
}

/** The package's External Client App, whose consumer key is the same in every subscriber org. */
interface SalesforceAppSettings {
  /** Consumer key of "Tightknit Salesforce". */
  clientId: string;
  /** Consumer secret, when the app requires one for the code exchange or refresh (the default for ECAs). */
  clientSecret?: string;
  /** The redirect_uri registered on the app; default `<publicUrl>/connect/salesforce/callback`. */
  callbackUrl: string;
  /** Accept http://127.0.0.1 and http://localhost login URLs (the org emulator). Off in production. */
  allowLoopbackLoginUrls?: boolean;
}

/** What the connect routes need besides the database: where `serve` is reachable and the two apps. */
export interface ConnectSettings {
  /** The public origin of `serve` as a browser and Slack reach it, e.g. https://sync.example.com. */
  publicUrl: string;
  /** Unset: the Slack routes answer 503 naming the variables to set. */
  slack?: SlackAppSettings;
  /** Unset: the Salesforce routes answer 503 naming the variables to set. */
  salesforce?: SalesforceAppSettings;
}

const SLACK_API_URL = 'https://slack.com/api/';

/** `<publicUrl>/connect/slack/callback`: the Redirect URL to register on the Slack app. */
export function slackRedirectUrl(settings: ConnectSettings): string {
  return `${settings.publicUrl}/connect/slack/callback`;
}

function origin(raw: string, name: string): string {
  try {
    const u = new URL(raw);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.origin;
  } catch {
    // reported below
  }
  throw new UsageError(
    'PUBLIC_URL_INVALID',
    `${name} must be the http(s) origin of serve (e.g. https://sync.example.com), not "${raw}".`,
  );
}

function slackFromEnv(env: NodeJS.ProcessEnv): SlackAppSettings | undefined {
  const clientId = env.TIGHTKNIT_SLACK_CLIENT_ID;
  if (!clientId) return undefined;
  const clientSecret = env.TIGHTKNIT_SLACK_CLIENT_SECRET;
  const signingSecret = env.TIGHTKNIT_SLACK_SIGNING_SECRET;
  if (!clientSecret || !signingSecret) {
    throw new UsageError(
      'SLACK_APP_INCOMPLETE',
      'TIGHTKNIT_SLACK_CLIENT_ID is set, so TIGHTKNIT_SLACK_CLIENT_SECRET and TIGHTKNIT_SLACK_SIGNING_SECRET must be too (the Slack app: Basic Information → App Credentials).',
    );
  }
  return {
    clientId,
    clientSecret,
    signingSecret,
    ...(env.TIGHTKNIT_SLACK_APP_ID ? { appId: env.TIGHTKNIT_SLACK_APP_ID } : {}),
    apiUrl: env.TIGHTKNIT_SLACK_API_URL || SLACK_API_URL,
  };
}

/**
 * The settings from the environment (docs/server-connect.md lists each variable): TIGHTKNIT_PUBLIC_URL;
 * the Slack app's TIGHTKNIT_SLACK_CLIENT_ID, _CLIENT_SECRET, _SIGNING_SECRET, optional _APP_ID and
 * _API_URL; the External Client App's TIGHTKNIT_CLIENT_ID, optional TIGHTKNIT_CLIENT_SECRET and
 * TIGHTKNIT_SF_CALLBACK_URL. An app whose client id is unset is simply not offered.
 */
export function connectSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectSettings {
  const raw = env.TIGHTKNIT_PUBLIC_URL;
  if (!raw) {
    throw new UsageError(
      'PUBLIC_URL_MISSING',
      'Set TIGHTKNIT_PUBLIC_URL to the https origin where Slack and browsers reach serve (e.g. https://sync.example.com): the OAuth redirect URLs are built from it.',
    );
  }
  const publicUrl = origin(raw, 'TIGHTKNIT_PUBLIC_URL');
  const clientId = env.TIGHTKNIT_CLIENT_ID;
  return {
    publicUrl,
    slack: slackFromEnv(env),
    salesforce: clientId
      ? {
          clientId,
          ...(env.TIGHTKNIT_CLIENT_SECRET ? { clientSecret: env.TIGHTKNIT_CLIENT_SECRET } : {}),
          callbackUrl: env.TIGHTKNIT_SF_CALLBACK_URL || `${publicUrl}/connect/salesforce/callback`,
        }
      : undefined,
  };
}
