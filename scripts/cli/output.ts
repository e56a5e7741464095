import { TightknitError } from '../sync';

/** Global flags every command can read with `command.optsWithGlobals()`. */
export interface GlobalOptions {
  stateDir: string;
  json?: boolean;
  quiet?: boolean;
}

/** What `--json` prints when a command succeeds: the sf CLI's envelope. `status` is the exit code. */
interface SuccessEnvelope<T = unknown> {
  status: number;
  result: T;
  warnings: string[];
}

/** What `--json` prints when a command fails: the sf CLI's error envelope; `name` is the error code. */
interface ErrorEnvelope {
  status: number;
  name: string;
  message: string;
  exitCode: number;
  actions: string[];
  warnings: string[];
}

// One invocation's output state. `--json` promises exactly one object on stdout: once a result is out
// (a server's envelope says where it listens), a later error goes to stderr instead.
let resultWritten = false;
let warnings: string[] = [];

/** Starts a fresh invocation (main() calls it; tests run many invocations in one process). */
export function resetOutput(): void {
  resultWritten = false;
  warnings = [];
}

/** True once this invocation printed its result envelope. */
export function resultWasWritten(): boolean {
  return resultWritten;
}

/** A warning: carried in the envelope's `warnings` with --json, written to stderr otherwise. */
export function warn(opts: GlobalOptions, message: string): void {
  if (opts.json) warnings.push(message);
  else process.stderr.write(`Warning: ${message}\n`);
}

/**
 * Writes a command's result: the success envelope with --json, else the human text (unless --quiet).
 * `status` is the exit code the result stands for (1: a run finished with failed records); the sf CLI
 * reports such a result as `status` 1 with the result, and so do we.
 */
export function printResult(opts: GlobalOptions, value: unknown, human: () => string, status = 0): void {
  if (status !== 0) process.exitCode = status;
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ status, result: value ?? {}, warnings } satisfies SuccessEnvelope)}\n`);
    resultWritten = true;
  } else if (!opts.quiet) process.stdout.write(`${human()}\n`);
}

/** A log line of a long-running command: a JSON object on stderr with --json (stdout keeps the one envelope). */
export function logJson(entry: object): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
}

/** The error envelope for any error: our own keep their code, exit code and actions. */
function errorEnvelope(err: unknown): ErrorEnvelope {
  if (err instanceof TightknitError) {
    return {
      status: err.exitCode,
      name: err.code,
      message: err.message,
      exitCode: err.exitCode,
      actions: err.actions,
      warnings,
    };
  }
  return {
    status: 1,
    name: 'UNEXPECTED_ERROR',
    message: err instanceof Error ? err.message : String(err),
    exitCode: 1,
    actions: [
      'This is a bug in tightknit-sync: run the command again without --json for the stack trace and report it.',
    ],
    warnings,
  };
}

/** Prints an error (what went wrong, then what to do) and returns the exit code design.md assigns to it. */
export function renderError(err: unknown, json: boolean): number {
  const envelope = errorEnvelope(err);
  if (json) {
    (resultWritten ? process.stderr : process.stdout).write(`${JSON.stringify(envelope)}\n`);
  } else if (err instanceof TightknitError) {
    process.stderr.write(`Error: ${err.message}\n`);
    for (const action of err.actions) process.stderr.write(`  → ${action}\n`);
  } else {
    process.stderr.write(`Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  return envelope.exitCode;
}
