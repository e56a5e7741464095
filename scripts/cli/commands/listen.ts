import type { Command } from 'commander';
import { requireSlackCredentials, SLACK_API_URL_ENV } from '../../sync/connection/slack-credentials';
import { UsageError } from '../../sync/errors';
import type { ReceiverStats } from '../../sync/sources/slack-events/accept';
import { startEventReceiver } from '../../sync/sources/slack-events/receiver';
import { startSocketModeReceiver } from '../../sync/sources/slack-events/socket-mode';
import { GlobalOptions } from '../output';
import { parsePort } from './emulator';
import { logger } from './start';

interface ListenFlags {
  port: number;
  host: string;
  socketMode?: boolean;
}

const SUMMARY_EVERY_MS = 60_000;

function summary(now: ReceiverStats, before: ReceiverStats): string | undefined {
  const stored = now.stored - before.stored;
  const dup = now.duplicates - before.duplicates;
  const unknown = now.unknownTypes - before.unknownTypes;
  const bad = now.rejected - before.rejected + (now.malformed - before.malformed);
  const errors = now.errors - before.errors;
  if (stored + dup + unknown + bad + errors === 0) return undefined;
  return `Last minute: ${stored} event(s) stored, ${dup} retr${dup === 1 ? 'y' : 'ies'} ignored, ${unknown} of unknown type, ${bad} refused, ${errors} store error(s).`;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function register(program: Command): void {
  program
    .command('listen')
    .description('receive the Slack Events API into the store’s inbox: POST /slack/events, or --socket-mode')
    .option('--port <n>', 'port of the HTTP receiver (0 = any free port)', parsePort, 3000)
    .option('--host <address>', 'address to bind; put a TLS reverse proxy in front for Slack', '127.0.0.1')
    .option('--socket-mode', 'connect out to Slack over Socket Mode instead (needs the app-level token)')
    .action(async (flags: ListenFlags, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const log = logger(opts);
      const { secrets, info } = await requireSlackCredentials({ stateDir: opts.stateDir });
      const common = {
        stateDir: opts.stateDir,
        log: (e: { level: 'info' | 'warn' | 'error'; event: string; message: string }) =>
          log(e.level, e.event, e.message),
      };
      let receiver: { stats(): ReceiverStats; close(): Promise<void> };
      if (flags.socketMode) {
        if (!secrets.appToken) {
          throw new UsageError('SLACK_APP_TOKEN_MISSING', `No app-level token is stored for ${info.teamName}.`, {
            actions: [
              'Set TIGHTKNIT_SLACK_APP_TOKEN (xapp-…, scope connections:write) and run `tightknit-sync connect-slack` again.',
            ],
          });
        }
        const slackApiUrl = process.env[SLACK_API_URL_ENV] || undefined;
        receiver = await startSocketModeReceiver({
          ...common,
          appToken: secrets.appToken,
          clientOptions: { slackApiUrl },
        });
        log('info', 'listening', `Receiving events for ${info.teamName} (${info.teamId}) over Socket Mode.`, {
          mode: 'socket',
        });
      } else {
        if (!secrets.signingSecret) {
          throw new UsageError('SLACK_SIGNING_SECRET_MISSING', `No signing secret is stored for ${info.teamName}.`, {
            actions: [
              'Set TIGHTKNIT_SLACK_SIGNING_SECRET (api.slack.com/apps → your app → Basic Information → Signing Secret) and run `tightknit-sync connect-slack` again, or use --socket-mode.',
            ],
          });
        }
        const http = await startEventReceiver({
          ...common,
          signingSecret: secrets.signingSecret,
          port: flags.port,
          host: flags.host,
        });
        receiver = http;
        log(
          'info',
          'listening',
          `Receiving events for ${info.teamName} (${info.teamId}) on ${http.url}. Give Slack the public HTTPS URL that forwards to it (Event Subscriptions → Request URL).`,
          { url: http.url, mode: 'http' },
        );
      }
      let last = receiver.stats();
      const timer = setInterval(() => {
        const now = receiver.stats();
        const line = summary(now, last);
        last = now;
        if (line) log('info', 'summary', line, { stats: now });
      }, SUMMARY_EVERY_MS);
      timer.unref();
      await waitForSignal();
      clearInterval(timer);
      await receiver.close();
      const total = receiver.stats();
      log(
        'info',
        'stopped',
        `Stopped: ${total.stored} event(s) stored, ${total.duplicates} retries ignored, ${total.rejected + total.malformed} refused.`,
        {
          stats: total,
        },
      );
    });
}
