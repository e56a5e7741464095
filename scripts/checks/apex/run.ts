import { execFile } from 'node:child_process';

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program to completion and returns its exit code and output; a non-zero exit is a
 * result, not an error. Rejects only when the program cannot start (then `missing` says why).
 */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; missing: string },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    // CI=true makes prettier's colour library emit ANSI codes, which would hide the `[error]` lines.
    const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
    execFile(command, args, { cwd: options.cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code === 'string') {
        reject(new Error(`${options.missing} (${error.code}: ${error.message})`));
        return;
      }
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr) });
    });
  });
}

const ANSI = /\u001b\[[0-9;]*m/g;

function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
