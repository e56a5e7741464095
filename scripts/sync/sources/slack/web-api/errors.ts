import { ErrorCode, type WebAPIPlatformError } from '@slack/web-api';
import { TightknitError } from '../../../errors';

const RECONNECT =
  'Reconnect the workspace: run `tightknit-sync connect-slack` (it installs the app again and stores a new bot token).';

/** Slack refused the bot token (revoked, invalid, or the workspace or app is gone). Exit code 3. */
export class SlackAuthError extends TightknitError {
  constructor(slackError: string, method: string, options: { cause?: unknown } = {}) {
    super(
      'SLACK_AUTH_FAILED',
      `Slack refused the bot token (${slackError}) when calling ${method}: the app was uninstalled, the token revoked, or the workspace deactivated.`,
      3,
      { actions: [RECONNECT], cause: options.cause },
    );
  }
}

/** The bot token lacks a scope a method needs; Slack names it in `needed`. Exit code 3. */
export class SlackScopeError extends TightknitError {
  readonly needed: string;

  constructor(needed: string, method: string, options: { cause?: unknown } = {}) {
    super('SLACK_MISSING_SCOPE', `The Slack app lacks the scope ${needed}, which ${method} needs.`, 3, {
      actions: [
        `Add it: api.slack.com/apps → your app → OAuth & Permissions → Bot Token Scopes → add ${needed}, then reinstall the app to the workspace.`,
        'Then run `tightknit-sync connect-slack` again so the new token is stored.',
      ],
      cause: options.cause,
    });
    this.needed = needed;
  }
}

/** Any other refusal or an unreachable Slack. Exit code 1: running again later may work. */
export class SlackApiError extends TightknitError {
  readonly slackError: string;

  constructor(slackError: string, method: string, options: { cause?: unknown; actions?: string[] } = {}) {
    super('SLACK_API_FAILED', `Slack's ${method} failed: ${slackError}.`, 1, {
      actions: options.actions ?? [
        'Check https://slack-status.com and the network, then run the command again: the read resumes from the last stored page.',
      ],
      cause: options.cause,
    });
    this.slackError = slackError;
  }
}

/** A channel the bot cannot read (not a member, archived away, gone): the reader skips it. */
export class SlackChannelUnreadable extends Error {
  constructor(
    readonly channel: string,
    readonly slackError: string,
  ) {
    super(`channel ${channel}: ${slackError}`);
  }
}

const AUTH_ERRORS = new Set(['invalid_auth', 'token_revoked', 'account_inactive', 'not_authed', 'token_expired']);
const CHANNEL_ERRORS = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);

function isPlatformError(err: unknown): err is WebAPIPlatformError {
  return (err as { code?: unknown })?.code === ErrorCode.PlatformError;
}

/** Slack's error string of a failed call, or null for a network / HTTP failure. */
function slackErrorCode(err: unknown): string | null {
  return isPlatformError(err) ? err.data.error : null;
}

/** Our error for a failed Web API call (`channel` set when the call reads one channel). */
export function translateSlackError(err: unknown, method: string, channel?: string): Error {
  if (err instanceof TightknitError) return err;
  const code = slackErrorCode(err);
  if (code !== null) {
    if (AUTH_ERRORS.has(code)) return new SlackAuthError(code, method, { cause: err });
    if (code === 'missing_scope') {
      const needed = ((err as WebAPIPlatformError).data as unknown as Record<string, unknown>).needed;
      return new SlackScopeError(typeof needed === 'string' && needed ? needed : 'unknown', method, { cause: err });
    }
    if (channel && CHANNEL_ERRORS.has(code)) return new SlackChannelUnreadable(channel, code);
    return new SlackApiError(code, method, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new SlackApiError(message, method, { cause: err });
}
