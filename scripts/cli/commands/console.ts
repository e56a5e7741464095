import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ConsoleOptions } from '../../console/server';
import { UsageError } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { openBrowser } from './connect';
import { parsePort } from './emulator';

interface ConsoleFlags {
  port: number;
  host: string;
  authTokenFile?: string;
  open?: boolean;
}

const DEFAULT_CONSOLE_PORT = 4321;

function readToken(file: string): string {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new UsageError('AUTH_TOKEN_UNREADABLE', `Cannot read the auth token file ${file}.`, {
      actions: ['Check the path and that this user may read it.'],
      cause: err,
    });
  }
  if (token.length < 32) {
    throw new UsageError('AUTH_TOKEN_WEAK', `The auth token in ${file} is shorter than 32 characters.`, {
      actions: ['Write a long random token into it, e.g. `openssl rand -base64 32 > ' + file + '`.'],
    });
  }
  return token;
}

/**
 * Runs the console until SIGINT/SIGTERM: builds the front end when its sources are newer than the
 * bundle, prints the one-time URL (with --json: the envelope, its result the URL plus `result`), stops
 * scheduled syncs cleanly on the way out.
 */
export async function serveConsole(
  opts: GlobalOptions,
  flags: ConsoleFlags,
  extra: Partial<ConsoleOptions> = {},
  result: object = {},
): Promise<void> {
  const say = (line: string): void => {
    if (!opts.quiet) process.stderr.write(`${line}\n`);
  };
  // Loaded here, not at the top: every other command would carry the console server, and the bundler
  // (~60 MB resident) only when a checkout's front end changed. CommonJS requires, because the
  // development launcher's tsx hook serves require() (an ESM import() of a .ts file would bypass it).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { bundleIsStale } = require('../../console/staleness') as typeof import('../../console/staleness.js');
  if (bundleIsStale()) {
    say('Building the console front end…');
    const { buildConsole } = require('../../console/build') as typeof import('../../console/build.js');
    await buildConsole();
  }
  const { startConsole } = require('../../console/server') as typeof import('../../console/server/index.js');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const running = await startConsole({
    stateDir: opts.stateDir,
    host: flags.host,
    port: flags.port,
    authToken: flags.authTokenFile ? readToken(flags.authTokenFile) : undefined,
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
    ...extra,
  });
  // The URL carries a one-time token; stdout so a script can read it, never into a log file.
  printResult({ ...opts, quiet: false }, { url: running.launchUrl, origin: running.origin, ...result }, () => {
    return `Console: ${running.launchUrl}`;
  });
  say('The link works once (it signs this browser in). Ctrl-C stops the console and its scheduled syncs.');
  if (flags.open) openBrowser(running.launchUrl);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      say('Stopping: finishing the current step of any sync first…');
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.close();
}

export function addConsoleFlags(cmd: Command, portDefault = DEFAULT_CONSOLE_PORT): Command {
  return cmd
    .option('--port <n>', 'port to listen on (0 = any free port)', parsePort, portDefault)
    .option('--host <address>', 'address to bind; anything but loopback needs --auth-token-file', '127.0.0.1')
    .option('--auth-token-file <file>', 'file holding a bearer token (≥ 32 characters) that API clients may send')
    .option('--open', 'open the console in the default browser');
}

export function register(program: Command): void {
  addConsoleFlags(
    program
      .command('console')
      .description('the operator console in a browser: connect, configure, backfill, watch, investigate'),
  ).action(async (flags: ConsoleFlags, cmd: Command) => {
    await serveConsole(cmd.optsWithGlobals<GlobalOptions>(), flags);
  });
}
