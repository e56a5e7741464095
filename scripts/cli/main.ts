#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { renderError } from './output';
import { addServerOptions } from './server-mode';

/** Builds the `tightknit-sync` program. Commands only parse flags and render; the work is in core functions. */
export function buildProgram(): Command {
  const program = new Command('tightknit-sync')
    .description('Sync a Tightknit (Slack) community into Salesforce with Bulk API 2.0.')
    .option('--state-dir <dir>', 'where the store, config, credentials and history live', '.tightknit-sync')
    .option('--json', 'machine-readable output, no progress bars')
    .option('--quiet', 'only errors')
    .showHelpAfterError()
    .exitOverride();
  addServerOptions(program);
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    return renderError(err, program.opts<{ json?: boolean }>().json === true);
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
