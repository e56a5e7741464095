import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { connectionError } from '../server/db/connect';
import { UsageError } from '../sync/errors';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../test-support/embedded-postgres';

/** A database of the fleet's own: on the server the caller named, or on an embedded one started here. */
export interface FleetDatabase {
  /** Connection URL of the fresh database (as the server's administrative role). */
  url: string;
  /** 'given' = on the server of --database / TIGHTKNIT_DATABASE_URL; 'embedded' = a throw-away server. */
  server: 'given' | 'embedded';
  /** Drops the database (unless kept) and stops the embedded server. */
  close(opts?: { keep?: boolean }): Promise<void>;
}

/** Starts an embedded PostgreSQL in a temporary directory; an early exit is refused with what to do. */
function startEmbedded(): Promise<EmbeddedPostgres> {
  return startEmbeddedPostgres(
    (code, stderr) =>
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
  );
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
