import { Pool, type PoolClient } from 'pg';
import { UsageError } from '../../sync/errors';
import { DATABASE_ENV } from '../names';

/** host:port/database and user of a URL, for messages: never the password. */
export function describeUrl(url: string): { where: string; user: string; database: string } {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default)';
  const host = u.hostname || 'localhost';
  return { where: `${host}:${u.port || '5432'}/${database}`, user: decodeURIComponent(u.username), database };
}

function parseUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(
      'DATABASE_URL_INVALID',
      `--database is not a URL. Give one like postgres://user:password@host:5432/tightknit (or set ${DATABASE_ENV}).`,
    );
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new UsageError(
      'DATABASE_URL_INVALID',
      `--database must be a postgres:// URL (got ${u.protocol}//${u.host}). Give one like postgres://user:password@host:5432/tightknit.`,
    );
  }
}

/**
 * Turns a connection failure into one line naming the server and the fix, exit code 2. The message is
 * built from the URL's host, port, database and user only: a password never reaches it.
 */
export function connectionError(url: string, err: unknown): UsageError {
  const { where, user, database } = describeUrl(url);
  const code = (err as { code?: string }).code ?? '';
  const fix = `fix --database or ${DATABASE_ENV}.`;
  const message = ((): string => {
    if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'].includes(code)) {
      return `Cannot reach PostgreSQL at ${where} (${code}). Start the server, or ${fix}`;
    }
    if (code === '28P01' || code === '28000') {
      return `PostgreSQL at ${where} refused user '${user}' (wrong password or not allowed by pg_hba.conf): ${fix}`;
    }
    if (code === '3D000') {
      return `Database '${database}' does not exist at ${where}. Create it (createdb ${database}), or ${fix}`;
    }
    return `PostgreSQL at ${where} refused the connection (${code || 'no error code'}): ${fix}`;
  })();
  return new UsageError('DATABASE_UNREACHABLE', message, { cause: err });
}

/** Opens a connection pool and proves the server answers, mapping failures with connectionError. */
export async function openPool(url: string, max = 5): Promise<Pool> {
  parseUrl(url);
  const pool = new Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000 });
  // An idle client's error (a server restart) must not crash the process: the next query reconnects.
  pool.on('error', () => undefined);
  // Nor may a checked-out client's: the pool takes its own listener off while a client is out, and a
  // session ended between two statements (no query to fail) emits 'error' with nobody listening. The
  // client is left unusable, so its holder's next statement fails (and is retried as any failure is),
  // and the pool discards it when it comes back.
  pool.on('connect', (client) => client.on('error', () => undefined));
  let client: PoolClient | undefined;
  try {
    client = await pool.connect();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw connectionError(url, err);
  } finally {
    client?.release();
  }
  return pool;
}
