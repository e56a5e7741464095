import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import {
  formatCatchUp,
  loadConfig,
  type RunSummary,
  type ScheduleEvent,
  createSupervisor,
  type SupervisorEvent,
  UsageError,
} from '../../sync';
import { GlobalOptions, logJson, printResult } from '../output';
import { formatChecks } from './check';
import { formatConfig } from './configure';
import { parsePort } from './emulator';
import { formatRun, stopOnSignals } from './run-output';
import { createProgressRenderer } from './sync';
import { inServerMode, startTenantSchedule } from './tenant-runs';
import { formatVerify } from './verify';

/** Structured log lines on stderr: JSON objects with --json (stdout keeps the one envelope), readable lines otherwise. */
export function logger(
  opts: GlobalOptions,
): (level: 'info' | 'warn' | 'error', event: string, message: string, data?: object) => void {
  return (level, event, message, data) => {
    if (opts.json) {
      logJson({ level, event, message, ...data });
    } else if (!opts.quiet || level !== 'info') {
      process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}\n`);
    }
  };
}

function describeEvent(e: ScheduleEvent): string {
  switch (e.type) {
    case 'started':
      return `Scheduler started: incremental sync every ${e.intervalMinutes} min, rescore daily${e.staleLock ? ` (took over a stale lock of pid ${e.staleLock.pid})` : ''}.`;
    case 'run-started':
      return `${e.runType} started.`;
    case 'run-finished':
      return formatRun(e.summary).replace(/\n/g, '\n    ');
    case 'paused':
      return 'Paused: no syncs until `tightknit-sync resume`.';
    case 'resumed':
      return 'Resumed.';
    case 'run-error':
      return `${e.runType} failed: ${e.message}${e.actions.length ? ` → ${e.actions.join(' ')}` : ''} Trying again at the next interval.`;
    case 'source-caught-up':
      return formatCatchUp(e.catchUp);
    case 'source-error':
      return `Live source: ${e.message}${e.actions.length ? ` → ${e.actions.join(' ')}` : ''} The push goes on; the source is tried again at the next interval.`;
    case 'waiting':
      return `Next sync at ${e.nextRunAt}.`;
    case 'stopped':
      return e.reason === 'signal'
        ? 'Stopped; no work was lost. `tightknit-sync start` continues where this left off.'
        : 'Stopped.';
  }
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Asks on the terminal whether to start; without one (or with --json), --yes is required. */
async function confirmStart(opts: GlobalOptions, instanceUrl: string): Promise<boolean> {
  if (!process.stdin.isTTY || opts.json) {
    throw new UsageError('CONFIRMATION_NEEDED', 'start asks for confirmation, and there is no terminal to ask on.', {
      actions: ['Pass --yes to start without confirmation.'],
    });
  }
  if (!(await confirm(`Start syncing ${instanceUrl} with this configuration? [y/N] `))) {
    process.stderr.write('Not started.\n');
    return false;
  }
  return true;
}

/** The schedule's own events; the supervisor's others (its receiver, one-off runs, the loop's end) are not log lines of their own. */
function isScheduleEvent(e: SupervisorEvent): e is ScheduleEvent {
  return e.type !== 'receiving' && e.type !== 'loop-ended' && !e.type.startsWith('one-off-');
}

/** The log level of a schedule event: errors, a run that did not fully succeed, else info. */
function eventLevel(e: ScheduleEvent): 'error' | 'warn' | 'info' {
  if (e.type === 'run-error' || e.type === 'source-error') return 'error';
  return e.type === 'run-finished' && e.summary.status !== 'Succeeded' ? 'warn' : 'info';
}

export function register(program: Command): void {
  program
    .command('start')
    .description('review and start: backfill if never done, then incremental syncs every interval (foreground)')
    .option('-y, --yes', 'start without asking for confirmation (scripts)')
    .option('--skip-checks', 'start even when the connection test fails (not recommended)')
    .option('--listen <port>', 'also receive the Slack Events API on this port (POST /slack/events)', parsePort)
    .option('--host <address>', 'address the --listen receiver binds (default: the configuration, else 127.0.0.1)')
    .option('--socket-mode', 'also receive the Slack Events API over Socket Mode (the app-level token)')
    .action(async (flags: StartFlags, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      if (inServerMode(cmd)) {
        if (flags.listen !== undefined || flags.socketMode) {
          throw new UsageError(
            'SERVER_MODE_UNSUPPORTED',
            'In server mode `serve` receives the Slack Events API for every tenant: drop --listen / --socket-mode.',
          );
        }
        return startTenantSchedule(cmd, opts);
      }
      const log = logger(opts);
      const config = loadConfig(opts.stateDir);
      if (!opts.json && !opts.quiet)
        process.stderr.write(`Configuration (${opts.stateDir}):\n${formatConfig(config)}\n\n`);

      const show = (text: string): void => {
        if (!opts.json && !opts.quiet) process.stderr.write(text);
      };
      // The bars start with the schedule (after the confirmation question).
      let progress: ReturnType<typeof createProgressRenderer> = { onProgress: () => undefined, stop: () => undefined };
      const runs: RunSummary[] = [];
      const supervisor = createSupervisor({
        stateDir: opts.stateDir,
        onProgress: (p) => progress.onProgress(p),
        onEvent: (e) => {
          if (e.type === 'receiving')
            log('info', 'listening', `Receiving Slack events at ${e.where}.`, { mode: e.mode });
          if (!isScheduleEvent(e)) return;
          if (e.type === 'run-started') progress = createProgressRenderer(opts);
          if (e.type === 'run-finished') {
            progress.stop();
            runs.push(e.summary);
          }
          log(
            eventLevel(e),
            e.type,
            describeEvent(e),
            e.type === 'run-finished'
              ? { summary: e.summary }
              : e.type === 'started'
                ? { intervalMinutes: e.intervalMinutes }
                : {},
          );
        },
      });
      const started = await supervisor.start({
        skipChecks: flags.skipChecks,
        onVerify: (verified) => show(`${formatVerify(verified)}\n`),
        onChecks: (report) => show(`${formatChecks(report)}\n\n`),
        confirm: async (opened) => {
          show(
            `Org: ${opened.info.instanceUrl} as ${opened.info.username ?? 'the connected user'} (${opened.info.method})\n`,
          );
          return flags.yes || (await confirmStart(opts, opened.info.instanceUrl));
        },
        receiver: {
          http: flags.listen !== undefined ? { port: flags.listen, host: flags.host } : undefined,
          socketMode: flags.socketMode,
        },
        receiverLog: (e) => log(e.level, e.event, e.message),
      });
      if (!started) return;
      progress = createProgressRenderer(opts);
      const stop = stopOnSignals((sig) => {
        progress.stop();
        log('warn', 'stopping', `${sig}: finishing the current step, then stopping (send it again to quit at once).`);
        void supervisor.stop();
      });
      try {
        await supervisor.finished();
      } finally {
        progress.stop();
        stop.dispose();
      }
      if (opts.json) printResult(opts, { runs }, () => '');
    });
}

interface StartFlags {
  yes?: boolean;
  skipChecks?: boolean;
  listen?: number;
  host?: string;
  socketMode?: boolean;
}
