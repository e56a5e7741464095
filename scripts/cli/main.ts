#!/usr/bin/env node
import { Command, CommanderError } from './commander';
import { COMMANDS, type CommandEntry } from './commands';
import { printResult, renderError, resetOutput, resultWasWritten } from './output';
import { UsageError } from '../sync';
import { formatVersion, versionInfo } from './version';
import { addServerOptions } from './server-mode';

/** The command the listing parse found, and whether its help (not its action) was asked for. */
interface Chosen {
  entry?: CommandEntry;
  help?: boolean;
}

/** Thrown from the --version listener to stop parsing once the version is printed (exit code 0). */
const VERSION_SHOWN = 'tightknit.version';

/** The program with its global options and none of its commands. */
function baseProgram(json: boolean): Command {
  const program = new Command('tightknit-sync')
    .description('Sync a Tightknit (Slack) community into Salesforce with Bulk API 2.0.')
    .option('--state-dir <dir>', 'where the store, config, credentials and history live', '.tightknit-sync')
    .option('--json', 'machine-readable output: one JSON object in the sf CLI envelope, no progress bars')
    .option('--quiet', 'only errors')
    .option('-v, --version', 'print the CLI version and the Tightknit package version it expects')
    .showHelpAfterError()
    .exitOverride();
  addServerOptions(program);
  // With --json the error goes into the envelope, not to stderr as text.
  if (json) program.configureOutput({ writeErr: () => undefined, outputError: () => undefined });
  program.on('option:version', () => {
    const info = versionInfo();
    printResult({ stateDir: '', json }, info, () => formatVersion(info));
    throw new CommanderError(0, VERSION_SHOWN, '');
  });
  return program;
}

/**
 * The program as `--help` lists it: every command by name and summary, no command module loaded.
 * Running a command records which one; main() then parses again with that command's real module.
 */
function listingProgram(json: boolean, chosen: Chosen): Command {
  const program = baseProgram(json).helpCommand(false);
  const terms = new Map(COMMANDS.map((c) => [c.name, c.term]));
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd.name()) ?? cmd.name() });
  for (const entry of COMMANDS) {
    program
      .command(entry.name)
      .description(entry.summary)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        chosen.entry = entry;
      });
  }
  // `help <command>` shows that command's own help, which needs its module: run it as `<command> --help`.
  terms.set('help', 'help [command]');
  program
    .command('help')
    .description('display help for command')
    .argument('[command]')
    .action((name?: string) => {
      const entry = name === undefined ? undefined : COMMANDS.find((c) => c.name === name);
      if (!entry) program.help({ error: name !== undefined });
      chosen.entry = entry;
      chosen.help = true;
    });
  return program;
}

/** Builds the `tightknit-sync` program with every command loaded (tests and the help of one command use it). */
export function buildProgram(json = false): Command {
  const program = baseProgram(json);
  for (const entry of COMMANDS) entry.register(program);
  return program;
}

/** `commander.unknownOption` → `UNKNOWN_OPTION`: commander's usage errors in our error-code style. */
function usageCode(code: string): string {
  return code
    .replace(/^commander\./, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toUpperCase();
}

/** `… help sync` → `… sync --help`. */
function helpArgv(argv: string[]): string[] {
  const rest = argv.slice(2);
  rest.splice(rest.indexOf('help'), 1);
  return [...argv.slice(0, 2), ...rest, '--help'];
}

/**
 * Runs the CLI on `argv` (process.argv shape) and returns the exit code: 0 ok, 1 a run finished with
 * failed records, 2 usage or configuration error, 3 the org refused.
 */
export async function main(argv: string[]): Promise<number> {
  resetOutput();
  const json = argv.includes('--json');
  const chosen: Chosen = {};
  let program = listingProgram(json, chosen);
  try {
    await program.parseAsync(argv);
    if (chosen.entry) {
      program = baseProgram(json);
      chosen.entry.register(program);
      await program.parseAsync(chosen.help ? helpArgv(argv) : argv);
      // Every command prints its result; should one finish without, --json still gets its one object.
      if (json && !chosen.help && !resultWasWritten()) printResult({ stateDir: '', json }, {}, () => '');
    }
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      if (!json) return 2;
      const command = chosen.entry ? `tightknit-sync ${chosen.entry.name} --help` : 'tightknit-sync --help';
      return renderError(
        new UsageError(usageCode(err.code), err.message.replace(/^error: /, ''), {
          actions: [`Run \`${command}\` for the commands and flags.`],
        }),
        true,
      );
    }
    return renderError(err, json);
  }
}

if (require.main === module) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
