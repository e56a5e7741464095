import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ConsoleOptions } from '../../console/server';
import { UsageError } from '../../sync/errors';
import { GlobalOptions } from '../output';
import { openBrowser } from './connect';
import { parsePort } from './emulator';

interface ConsoleFlags {
  port: number;
  host: string;
  authTokenFile?: string;
  open?: boolean;
}

export const DEFAULT_CONSOLE_PORT = 4321;

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
 * bundle, prints the one-time URL, stops scheduled syncs cleanly on the way out.
 */
export async function serveConsole(
  opts: GlobalOptions,
  flags: ConsoleFlags,
  extra: Partial<ConsoleOptions> = {},
): Promise<void> {
  const say = (line: string): void => {
    if (!opts.quiet) process.stderr.write(`${line}\n`);
  };
  // Loaded here, not at the top: every other command would carry the bundler (~60 MB resident).
  // A CommonJS require, because the launcher's tsx hook serves require() (an ESM import() of a
  // .ts file would bypass it).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { buildConsole, bundleIsStale } = require('../../console/build') as typeof import('../../console/build.js');
  const { startConsole } = require('../../console/server') as typeof import('../../console/server/index.js');
  /* eslint-enable @typescript-eslint/no-require-imports */
  if (bundleIsStale()) {
    say('Building the console front end…');
    await buildConsole();
  }
  const running = await startConsole({
    stateDir: opts.stateDir,
    host: flags.host,
    port: flags.port,
    authToken: flags.authTokenFile ? readToken(flags.authTokenFile) : undefined,
    log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
    ...extra,
  });
  // The URL carries a one-time token; stdout so a script can read it, never into a log file.
  process.stdout.write(
    opts.json
      ? `${JSON.stringify({ url: running.launchUrl, origin: running.origin })}\n`
      : `Console: ${running.launchUrl}\n`,
  );
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
