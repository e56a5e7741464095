import type { Command } from 'commander';
import { loadConfig, type ReceiverStats, startLiveReceiver } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { parsePort } from './emulator';
import { logger } from './start';
import { waitForSignal } from './sync';

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
      const receiver = await startLiveReceiver({
        stateDir: opts.stateDir,
        config: loadConfig(opts.stateDir),
        http: flags.socketMode ? undefined : { port: flags.port, host: flags.host },
        socketMode: flags.socketMode,
        log: (e) => log(e.level, e.event, e.message),
      });
      if (!receiver) throw new Error('listen started no receiver.');
      const who = `${receiver.workspace.name} (${receiver.workspace.id})`;
      log(
        'info',
        'listening',
        receiver.mode === 'socket-mode'
          ? `Receiving events for ${who} over Socket Mode.`
          : `Receiving events for ${who} on ${receiver.where}. Give Slack the public HTTPS URL that forwards to it (Event Subscriptions → Request URL).`,
        receiver.mode === 'socket-mode' ? { mode: 'socket' } : { url: receiver.where, mode: 'http' },
      );
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
      if (opts.json) printResult(opts, { workspace: receiver.workspace, mode: receiver.mode, stats: total }, () => '');
    });
}
