import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { STEPS } from '../db/schema-steps';
import { serveApp, type ServeAppOptions } from './app';
import { FleetMetrics } from './metrics';

interface Health {
  status: 'ok' | 'unavailable';
  database: 'reachable' | 'unreachable';
  schema: 'current' | 'behind' | 'newer' | 'unknown';
  /** Steps this release knows that the database lacks, or the database has that this release does not. */
  steps?: string[];
}

/** Whether the database answers and holds exactly this release's schema steps. */
async function health(pool: Pool): Promise<Health> {
  let applied: string[];
  try {
    applied = (await pool.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name);
  } catch {
    return { status: 'unavailable', database: 'unreachable', schema: 'unknown' };
  }
  const missing = Object.keys(STEPS).filter((s) => !applied.includes(s));
  const unknown = applied.filter((s) => !(s in STEPS));
  if (unknown.length > 0) return { status: 'unavailable', database: 'reachable', schema: 'newer', steps: unknown };
  if (missing.length > 0) return { status: 'unavailable', database: 'reachable', schema: 'behind', steps: missing };
  return { status: 'ok', database: 'reachable', schema: 'current' };
}

/**
 * The port of `serve`: GET /healthz (200 when the database is reachable and its schema current, else
 * 503, JSON either way) and GET /metrics (Prometheus text), behind the connect routes and the people
 * layer (app.ts). Listens on 127.0.0.1 unless `host` says otherwise. Resolves once listening.
 */
export async function startOpsServer(
  pool: Pool,
  port: number,
  log: Logger,
  host = '127.0.0.1',
  app: Omit<ServeAppOptions, 'pool' | 'log'> = {},
): Promise<{ server: Server; url: string }> {
  const metrics = new FleetMetrics(pool);
  const ops = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    };
    if (req.method !== 'GET' || (path !== '/healthz' && path !== '/metrics')) {
      reply(404, 'application/json', JSON.stringify({ error: 'Not found: GET /healthz or /metrics' }));
      return;
    }
    if (path === '/healthz') {
      void health(pool).then((h) => reply(h.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(h)));
      return;
    }
    metrics.scrape().then(
      (text) => reply(200, metrics.registry.contentType, text),
      (err: unknown) => {
        log.error({ err }, 'metrics scrape failed');
        reply(503, 'text/plain', 'The database did not answer; see /healthz.\n');
      },
    );
  };
  const { handle } = serveApp({ pool, log, ...app }, ops);
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'request failed');
      if (res.headersSent) res.destroy();
      else
        res.writeHead(500, { 'content-type': 'text/plain' }).end('The server hit an error; its log has the cause.\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return { server, url: `http://${host}:${address.port}` };
}
