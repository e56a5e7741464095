import { existsSync, readFileSync, rmSync } from 'node:fs';
import { LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import { UsageError } from '../errors';
import { hasCredentials } from './credential-store';
import { keyFiles, type KeyOptions, type KeySource } from './encryption';
import { openSealedFile, writeSealedFile, type SealedFile } from './sealed-file';
import { slackCredentialsPath } from './slack-files';

/** What a Slack workspace connection needs that must stay secret. */
export interface SlackSecrets {
  /** Bot User OAuth Token (xoxb-…). */
  botToken: string;
  /** Verifies Events API requests (HTTP receiver). */
  signingSecret?: string;
  /** App-level token (xapp-…) with connections:write, for Socket Mode. */
  appToken?: string;
}

/** The workspace, in clear: nothing here is secret. */
export interface SlackConnectionInfo {
  teamId: string;
  teamName: string;
  domain: string | null;
  url: string | null;
  botUserId: string | null;
  connectedAt: string;
  hasSigningSecret: boolean;
  hasAppToken: boolean;
}

type SlackCredentialsFile = SealedFile<SlackConnectionInfo>;

export { slackCredentialsPath } from './slack-files';
export const SLACK_API_URL_ENV = 'TIGHTKNIT_SLACK_API_URL';

/**
 * Encrypts and writes the Slack secrets exactly like the Salesforce credentials: the same key (env,
 * OS keychain or key file), AES-256-GCM with the info bound as AAD, atomic rename, mode 0600.
 * Returns where the key came from and the key-file warning, if any.
 */
export async function saveSlackCredentials(
  opts: KeyOptions,
  secrets: SlackSecrets,
  info: SlackConnectionInfo,
): Promise<{ keySource: KeySource; warning?: string }> {
  return writeSealedFile(slackCredentialsPath(opts.stateDir), info, secrets, opts);
}

function readFile(stateDir: string): SlackCredentialsFile | undefined {
  const path = slackCredentialsPath(stateDir);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as SlackCredentialsFile;
    if (parsed.version !== 1 || !parsed.info?.teamId || !parsed.secrets) throw new Error('unknown format');
    return parsed;
  } catch (err) {
    throw new UsageError(
      'SLACK_CREDENTIALS_UNREADABLE',
      `${path} is not a Slack credentials file this version can read.`,
      {
        actions: ['Run `tightknit-sync connect-slack` again to replace it.'],
        cause: err,
      },
    );
  }
}

/** The connected workspace without decrypting anything (no key needed); undefined when none is connected. */
export function readSlackConnectionInfo(stateDir: string): SlackConnectionInfo | undefined {
  return readFile(stateDir)?.info;
}

export async function loadSlackCredentials(
  opts: KeyOptions,
): Promise<{ secrets: SlackSecrets; info: SlackConnectionInfo } | undefined> {
  const file = readFile(opts.stateDir);
  if (!file) return undefined;
  const secrets = await openSealedFile<SlackConnectionInfo, SlackSecrets>(file, opts);
  return { secrets, info: file.info };
}

/** The stored secrets, or a NOT_CONNECTED error that says how to connect. */
export async function requireSlackCredentials(
  opts: KeyOptions,
): Promise<{ secrets: SlackSecrets; info: SlackConnectionInfo }> {
  const creds = await loadSlackCredentials(opts);
  if (!creds) {
    throw new UsageError('SLACK_NOT_CONNECTED', 'No Slack workspace is connected for this state directory.', {
      actions: [
        'Set TIGHTKNIT_SLACK_BOT_TOKEN (and TIGHTKNIT_SLACK_SIGNING_SECRET or TIGHTKNIT_SLACK_APP_TOKEN for events), then run `tightknit-sync connect-slack`.',
      ],
    });
  }
  return creds;
}

/**
 * Deletes the Slack credentials. The key material is shared with the Salesforce credentials, so it is
 * removed only when no org is connected either.
 */
export function deleteSlackCredentials(stateDir: string): boolean {
  const path = slackCredentialsPath(stateDir);
  const existed = existsSync(path);
  rmSync(path, { force: true });
  rmSync(`${path}.tmp`, { force: true });
  if (!hasCredentials(stateDir)) for (const f of keyFiles(stateDir)) rmSync(f, { force: true });
  return existed;
}

/**
 * A Web API client for the bot token. `slackApiUrl` (or TIGHTKNIT_SLACK_API_URL) points it elsewhere
 * than https://slack.com/api/ — the demo and the tests use the Slack emulator. The client logs errors only.
 */
export function slackClient(
  secrets: SlackSecrets,
  opts: { slackApiUrl?: string } & Omit<WebClientOptions, 'logger' | 'logLevel'> = {},
): WebClient {
  const slackApiUrl = opts.slackApiUrl ?? (process.env[SLACK_API_URL_ENV] || undefined);
  return new WebClient(secrets.botToken, { ...opts, slackApiUrl, logLevel: LogLevel.ERROR });
}
