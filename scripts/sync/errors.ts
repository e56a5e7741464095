/**
 * One error hierarchy for the sync, the CLI and every other front end.
 * Control flow checks `instanceof` and `code`, never a dependency's error `name`.
 */
export type ExitCode = 0 | 1 | 2 | 3;

export interface TightknitErrorOptions {
  /** What the user can do about it, one sentence each. */
  actions?: string[];
  cause?: unknown;
}

export class TightknitError extends Error {
  readonly code: string;
  readonly actions: string[];
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, exitCode: ExitCode, options: TightknitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.actions = options.actions ?? [];
  }
}

/** Bad flags, bad configuration or bad input files: exit code 2. */
export class UsageError extends TightknitError {
  constructor(code: string, message: string, options?: TightknitErrorOptions) {
    super(code, message, 2, options);
  }
}

/** The org refused: authentication, permissions, limits. Exit code 3. */
export class OrgRefusedError extends TightknitError {
  constructor(code: string, message: string, options?: TightknitErrorOptions) {
    super(code, message, 3, options);
  }
}

/** One bad value: its path in the configuration (`engagement.weights.post_created`) and why. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** A configuration that does not validate; `issues` lets a form put each reason next to its field. */
export class InvalidConfigError extends UsageError {
  constructor(
    message: string,
    readonly issues: ConfigIssue[],
  ) {
    super('INVALID_CONFIG', message, {
      actions: ['Fix the values above with `tightknit-sync configure`, or edit the file and run the command again.'],
    });
  }
}
