import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../metadata/project';

/** The project's own sf CLI (devDependency), so every machine runs the same version. */
const SF_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'sf');

/** Environment for every `sf` call: no telemetry, no auto-update or update notice (see the README, "Developer guide"). */
function sfEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    ...extra,
  };
}

/** Runs `sf <args>` from the project root with its output on this terminal; resolves to the exit code. */
export function runSf(args: string[]): Promise<number> {
  console.log(`$ sf ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(SF_BIN, args, { cwd: REPO_ROOT, env: sfEnv(), stdio: 'inherit' });
    child.on('error', (error) => reject(new Error(`Could not start ${SF_BIN} (${error.message}); run npm ci.`)));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** Runs `sf <args> --json` and returns its `result`; throws with sf's own message when the command fails. */
export function sfJson<T>(args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(SF_BIN, [...args, '--json'], {
      cwd: REPO_ROOT,
      env: sfEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', (error) => reject(new Error(`Could not start ${SF_BIN} (${error.message}); run npm ci.`)));
    child.on('close', (code) => {
      let parsed: { status?: number; result?: T; message?: string } = {};
      try {
        parsed = JSON.parse(stdout) as typeof parsed;
      } catch {
        // fall through to the error below with the raw output
      }
      if (code === 0 && parsed.result !== undefined) resolve(parsed.result);
      else reject(new Error(`sf ${args.join(' ')} failed: ${parsed.message ?? (stdout.trim() || `exit ${code}`)}`));
    });
  });
}
