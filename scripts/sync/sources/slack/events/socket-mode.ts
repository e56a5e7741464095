import { LogLevel, SocketModeClient, type SocketModeOptions } from '@slack/socket-mode';
import { WebAPIPlatformError } from '@slack/web-api';
import { OrgRefusedError, TightknitError, UsageError } from '../../../errors';
import { acceptDelivery, countDelivery, emptyStats, type Delivery, type ReceiverStats } from './accept';
import { classifyEnvelope } from './envelope';
import type { AsyncEventInbox } from '../../../store';
import { openInbox, type InboxTarget } from './inbox-db';
import { keepInbox } from './upkeep';
import type { ReceiverLog } from './receiver';

export type SocketModeReceiverOptions = InboxTarget & {
  /** App-level token (xapp-…) with connections:write. */
  appToken: string;
  /** Passed to the client's WebClient; `slackApiUrl` points apps.connections.open elsewhere (the emulator). */
  clientOptions?: SocketModeOptions['clientOptions'];
  onEvent?: (delivery: Delivery) => void;
  log?: ReceiverLog;
};

export interface SocketModeReceiver {
  readonly inbox: AsyncEventInbox;
  readonly client: SocketModeClient;
  stats(): ReceiverStats;
  close(): Promise<void>;
}

/** What the client hands to a 'slack_event' listener. */
interface SlackEventArgs {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  type: string;
  body: unknown;
}

/** The client's own logger at error level only, forwarded without payloads (its debug lines echo them). */
function quietLogger(log: ReceiverLog): NonNullable<SocketModeOptions['logger']> {
  const ignore = (): void => undefined;
  return {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (...msg: unknown[]) =>
      log({ level: 'error', event: 'socket-mode', message: `Socket Mode: ${msg.map(String).join(' ')}` }),
    setLevel: ignore,
    getLevel: () => LogLevel.ERROR,
    setName: ignore,
  };
}

/** Why Socket Mode could not start, with the fix (the token itself is never part of the message). */
function startFailure(err: unknown): TightknitError {
  if (err instanceof WebAPIPlatformError) {
    return new OrgRefusedError(
      'SLACK_SOCKET_MODE_REFUSED',
      `Slack refused to open a Socket Mode connection (${err.data.error}).`,
      {
        actions: [
          'Enable Socket Mode for the app (api.slack.com/apps → your app → Socket Mode), create an app-level token with connections:write (Basic Information → App-Level Tokens), set TIGHTKNIT_SLACK_APP_TOKEN and run `tightknit-sync connect-slack` again.',
        ],
        cause: err,
      },
    );
  }
  return new UsageError(
    'SLACK_UNREACHABLE',
    `Could not open a Socket Mode connection (${err instanceof Error ? err.message : String(err)}).`,
    {
      actions: [
        'Check that this host can reach https://slack.com and wss://wss-primary.slack.com (proxy, firewall), then try again.',
      ],
      cause: err,
    },
  );
}

/**
 * Receives the Events API over Socket Mode (no public URL needed). Each `events_api` envelope is stored
 * in the inbox before it is acknowledged; when storing fails it is not acknowledged, so Slack redelivers.
 */
export async function startSocketModeReceiver(opts: SocketModeReceiverOptions): Promise<SocketModeReceiver> {
  const opened = openInbox(opts);
  const { inbox } = opened;
  const stats = emptyStats();
  const log: ReceiverLog = opts.log ?? (() => undefined);
  const client = new SocketModeClient({
    appToken: opts.appToken,
    clientOptions: opts.clientOptions,
    logger: quietLogger(log),
  });

  // Stored (or counted) before it is acknowledged: an envelope Slack sees acknowledged is in the inbox.
  const onEvent = async (args: SlackEventArgs): Promise<void> => {
    let delivery: Delivery;
    try {
      if (args.type === 'events_api') {
        delivery = await acceptDelivery(inbox, classifyEnvelope(args.body), JSON.stringify(args.body));
      } else {
        await inbox.noteUnknownType(`socket:${args.type}`);
        delivery = { outcome: 'unknown-type', type: args.type };
      }
    } catch (err) {
      stats.errors += 1;
      log({
        level: 'error',
        event: 'store-error',
        message: `Could not store an event (${(err as Error).message}); not acknowledged, so Slack redelivers it.`,
      });
      return;
    }
    countDelivery(stats, delivery);
    opts.onEvent?.(delivery);
    if (delivery.outcome === 'malformed') {
      log({
        level: 'warn',
        event: 'malformed',
        message: `Acknowledged and dropped a malformed envelope: ${delivery.cause}.`,
      });
    }
    await args.ack().catch((err: unknown) => {
      log({
        level: 'warn',
        event: 'ack-failed',
        message: `Could not acknowledge an envelope (${String(err)}); Slack will redeliver it and the inbox stores it once.`,
      });
    });
  };
  client.on('slack_event', (args: SlackEventArgs) => void onEvent(args));

  try {
    await client.start();
  } catch (err) {
    await opened.close();
    throw startFailure(err);
  }
  let endUpkeep: () => Promise<void>;
  try {
    endUpkeep = await keepInbox(opened, 'socket-mode', 'Socket Mode');
  } catch (err) {
    await client.disconnect().finally(() => opened.close());
    throw err;
  }
  let closed: Promise<void> | undefined;
  return {
    inbox,
    client,
    stats: () => ({ ...stats }),
    close() {
      if (!closed) {
        closed = endUpkeep().then(() => client.disconnect().finally(() => opened.close()));
      }
      return closed;
    },
  };
}
