import type { SyncConfig } from '../config';
import { requireSlackCredentials, SLACK_API_URL_ENV } from '../connection/slack-credentials';
import type { KeyOptions } from '../connection/encryption';
import { UsageError } from '../errors';
import type { ReceiverStats } from '../sources/slack/events/accept';
import { startEventReceiver, type ReceiverLog } from '../sources/slack/events/receiver';
import { startSocketModeReceiver } from '../sources/slack/events/socket-mode';

/** An Events API receiver running inside another command (`start`), storing into the state directory's inbox. */
export interface LiveReceiver {
  mode: 'http' | 'socket-mode';
  /** "http://0.0.0.0:3000/slack/events" or "Socket Mode". */
  where: string;
  /** The connected workspace whose events it receives. */
  workspace: { name: string; id: string };
  stats(): ReceiverStats;
  close(): Promise<void>;
}

export interface LiveReceiverOptions {
  stateDir: string;
  config: SyncConfig;
  key?: Omit<KeyOptions, 'stateDir'>;
  /** From the command line: receive over HTTP on this port (and host), or over Socket Mode. */
  http?: { port: number; host?: string };
  socketMode?: boolean;
  log?: ReceiverLog;
}

/** How events reach the store for this process: the command line first, then the configuration. */
function receiverMode(
  opts: Pick<LiveReceiverOptions, 'config' | 'http' | 'socketMode'>,
): 'http' | 'socket-mode' | null {
  if (opts.socketMode || (!opts.http && opts.config.slack.events === 'socket-mode')) return 'socket-mode';
  if (opts.http || (opts.config.slack.events === 'http' && opts.config.slack.listenPort !== null)) return 'http';
  return null;
}

/**
 * Starts the receiver `start --listen PORT` / `start --socket-mode` (or the configuration's
 * `slack.events` with `slack.listenPort`) asks for; null when events are received elsewhere (a separate
 * `listen`) or not at all (polling). Needs the stored Slack credentials with the signing secret (HTTP) or
 * the app-level token (Socket Mode).
 */
export async function startLiveReceiver(opts: LiveReceiverOptions): Promise<LiveReceiver | null> {
  const mode = receiverMode(opts);
  if (mode === null) return null;
  const { secrets, info } = await requireSlackCredentials({ stateDir: opts.stateDir, ...opts.key });
  const workspace = { name: info.teamName, id: info.teamId };
  if (mode === 'socket-mode') {
    if (!secrets.appToken) {
      throw new UsageError('SLACK_APP_TOKEN_MISSING', `No app-level token is stored for ${info.teamName}.`, {
        actions: [
          'Set TIGHTKNIT_SLACK_APP_TOKEN (xapp-…, scope connections:write) and run `tightknit-sync connect-slack` again.',
        ],
      });
    }
    const r = await startSocketModeReceiver({
      stateDir: opts.stateDir,
      appToken: secrets.appToken,
      clientOptions: { slackApiUrl: process.env[SLACK_API_URL_ENV] || undefined },
      log: opts.log,
    });
    return { mode, where: 'Socket Mode', workspace, stats: () => r.stats(), close: () => r.close() };
  }
  if (!secrets.signingSecret) {
    throw new UsageError('SLACK_SIGNING_SECRET_MISSING', `No signing secret is stored for ${info.teamName}.`, {
      actions: [
        'Set TIGHTKNIT_SLACK_SIGNING_SECRET (api.slack.com/apps → your app → Basic Information → Signing Secret) and run `tightknit-sync connect-slack` again, or use --socket-mode.',
      ],
    });
  }
  const r = await startEventReceiver({
    stateDir: opts.stateDir,
    signingSecret: secrets.signingSecret,
    port: opts.http?.port ?? opts.config.slack.listenPort ?? 3000,
    host: opts.http?.host ?? opts.config.slack.listenHost,
    log: opts.log,
  });
  return { mode, where: r.url, workspace, stats: () => r.stats(), close: () => r.close() };
}
