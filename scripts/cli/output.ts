import { TightknitError } from '../sync/errors';

/** Global flags every command can read with `command.optsWithGlobals()`. */
export interface GlobalOptions {
  stateDir: string;
  json?: boolean;
  quiet?: boolean;
}

/** Prints an error (what went wrong, then what to do) and returns the exit code design.md assigns to it. */
export function renderError(err: unknown, json: boolean): number {
  if (err instanceof TightknitError) {
    if (json) {
      process.stderr.write(
        `${JSON.stringify({ error: { code: err.code, message: err.message, actions: err.actions } })}\n`,
      );
    } else {
      process.stderr.write(`Error: ${err.message}\n`);
      for (const action of err.actions) process.stderr.write(`  → ${action}\n`);
    }
    return err.exitCode;
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(
    json ? `${JSON.stringify({ error: { code: 'UNEXPECTED', message } })}\n` : `Unexpected error: ${message}\n`,
  );
  return 1;
}

/** Writes a result: JSON when --json, else the human text (unless --quiet). */
export function printResult(opts: GlobalOptions, value: unknown, human: () => string): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(value)}\n`);
  else if (!opts.quiet) process.stdout.write(`${human()}\n`);
}
