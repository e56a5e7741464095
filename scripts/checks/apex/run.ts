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
    execFile(command, args, { cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code === 'string') {
        reject(new Error(`${options.missing} (${error.code}: ${error.message})`));
        return;
      }
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}
