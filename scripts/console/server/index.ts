import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { type KeyOptions, type PushTuning, UsageError } from '../../sync';
import { PUBLIC_DIR } from '../paths';
import { ConsoleAuth, trustedRequest } from './auth';
import { baseHeaders, HttpError, readJson, sendJson, toApiError } from './http';
import { pathKnown, route } from './routes';
import { ConsoleRunner } from './runner';
import { buildStatus } from './status';

export interface ConsoleOptions {
  stateDir: string;
  /** Default 127.0.0.1. Any other address needs `authToken`. */
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Contents of the auth token file: accepted as `Authorization: Bearer`, required off loopback. */
  authToken?: string;
  /** Where the built front end is (default dist/console/public). */
  publicDir?: string;
  key?: Omit<KeyOptions, 'stateDir'>;
  tuning?: Partial<PushTuning>;
  tickMs?: number;
  loginTimeoutMs?: number;
  /** Connected pages get a fresh status at least this often (default 30 s). */
  refreshMs?: number;
  log?: (message: string) => void;
}

export interface RunningConsole {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The URL to open: the origin with the one-time launch token. */
  launchUrl: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
/** Progress arrives many times a second; browsers get at most this many status events a second. */
const EVENTS_PER_SECOND = 4;
/**
 * Some of what the status shows changes with time alone (a receiver in another process falls silent, the
 * source's lag grows): connected pages get a fresh status at least this often.
 */
const REFRESH_MS = 30_000;

const SIGN_IN_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tightknit Sync console</title>
<link rel="stylesheet" href="/assets/styles/salesforce-lightning-design-system.min.css"></head>
<body class="slds-p-around_large"><div class="slds-box slds-theme_default" role="alert"><h1 class="slds-text-heading_medium">Open the console from its link</h1>
<p class="slds-m-top_small">This page needs the one-time link that <code>tightknit-sync console</code> printed in its terminal. A link works once; restart the console for a new one.</p></div></body></html>`;

function serveFile(res: ServerResponse, root: string, path: string): boolean {
  const file = normalize(join(root, path === '/' ? 'index.html' : path));
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return false;
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': path.startsWith('/assets/') ? 'public, max-age=3600' : 'no-cache',
  });
  res.end(readFileSync(file));
  return true;
}

/** Refuses a non-loopback bind without an auth token, and a front end that is not built. */
function checkStartable(host: string, authToken: string | undefined, publicDir: string): void {
  if (!LOOPBACK.has(host) && !authToken) {
    throw new UsageError(
      'AUTH_TOKEN_REQUIRED',
      `The console only binds ${host} (not loopback) with an auth token file.`,
      {
        actions: [
          'Pass --auth-token-file <file> with a long random token (e.g. `openssl rand -base64 32 > token`), and put the console behind TLS.',
          'Or bind 127.0.0.1 (the default) and reach it through an SSH tunnel.',
        ],
      },
    );
  }
  if (!existsSync(join(publicDir, 'index.html'))) {
    throw new UsageError('CONSOLE_NOT_BUILT', `The console's front end is not built (${publicDir} is missing).`, {
      actions: ['Run `npm run build`, then start the console again.'],
    });
  }
}

/** Outside /api/: the launch token traded for a session cookie, the built front end, or the sign-in page. */
function servePage(req: IncomingMessage, res: ServerResponse, url: URL, auth: ConsoleAuth, publicDir: string): void {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD')
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here.`);
  const session = auth.exchange(url.searchParams.get('token'));
  if (session) {
    // Trade the launch token for a cookie and drop it from the address bar and the history.
    res.writeHead(303, { 'Set-Cookie': auth.sessionCookie(session), Location: '/' });
    res.end();
    return;
  }
  if (url.pathname.startsWith('/assets/') || auth.authorized(req)) {
    if (serveFile(res, publicDir, url.pathname)) return;
    throw new HttpError(404, 'NOT_FOUND', `${url.pathname} does not exist.`);
  }
  res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(SIGN_IN_PAGE);
}

/** Listens on host:port (0: any free port); a port in use is a usage error naming the fix. */
async function listen(server: Server, port: number | undefined, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new UsageError('PORT_IN_USE', `Port ${port} on ${host} is already in use.`, {
              actions: ['Pass another --port, or stop what is listening there.'],
            })
          : err,
      ),
    );
    server.listen(port ?? 0, host, () => resolve());
  });
}

/** The console's status, pushed to every open /api/events stream at most EVENTS_PER_SECOND times a second. */
class StatusStream {
  private readonly clients = new Set<ServerResponse>();
  private pending: NodeJS.Timeout | undefined;
  private lastSent = 0;

  constructor(
    private readonly status: () => Promise<unknown>,
    private readonly log?: (line: string) => void,
  ) {}

  /** Something changed: sends the status soon, unless nobody listens. */
  readonly changed = (): void => {
    if (this.pending || this.clients.size === 0) return;
    this.pending = setTimeout(
      () => void this.broadcast(),
      Math.max(0, this.lastSent + 1000 / EVENTS_PER_SECOND - Date.now()),
    );
  };

  /** Answers GET /api/events: the status now, then every change until the client goes. */
  async open(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const first = JSON.stringify(await this.status());
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(`retry: 2000\nevent: status\ndata: ${first}\n\n`);
    this.clients.add(res);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      this.clients.delete(res);
    });
  }

  close(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const c of this.clients) c.end();
  }

  private async broadcast(): Promise<void> {
    this.pending = undefined;
    this.lastSent = Date.now();
    let text: string;
    try {
      text = `event: status\ndata: ${JSON.stringify(await this.status())}\n\n`;
    } catch (err) {
      this.log?.(`Status unavailable: ${(err as Error).message}`);
      return;
    }
    for (const c of this.clients) c.write(text);
  }
}

/**
 * The operator console: the built front end and its JSON API on one origin, over the same core
 * functions as the CLI. Binds loopback unless an auth token is given.
 */
export async function startConsole(opts: ConsoleOptions): Promise<RunningConsole> {
  const host = opts.host ?? '127.0.0.1';
  const publicDir = opts.publicDir ?? PUBLIC_DIR;
  checkStartable(host, opts.authToken, publicDir);
  const auth = new ConsoleAuth(opts.authToken);
  const stream: StatusStream = new StatusStream(() => buildStatus(opts.stateDir, runner), opts.log);
  const changed = stream.changed;
  const refresh = setInterval(changed, opts.refreshMs ?? REFRESH_MS);
  refresh.unref();
  const runner = new ConsoleRunner({
    stateDir: opts.stateDir,
    key: opts.key,
    tuning: opts.tuning,
    tickMs: opts.tickMs,
    loginTimeoutMs: opts.loginTimeoutMs,
    onChange: changed,
    log: opts.log,
  });

  let allowedHosts: Set<string> | null = new Set<string>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    baseHeaders(res);
    if (!trustedRequest(req, allowedHosts)) {
      sendJson(res, 403, {
        error: { code: 'UNTRUSTED_ORIGIN', message: 'Request refused: unknown host or origin.', actions: [] },
      });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://console');
    const method = req.method ?? 'GET';
    if (!url.pathname.startsWith('/api/')) {
      servePage(req, res, url, auth, publicDir);
      return;
    }
    if (!auth.authorized(req)) {
      throw new HttpError(401, 'UNAUTHORIZED', 'This console session is not signed in.', [
        'Open the link that `tightknit-sync console` printed; restart the console for a new one.',
      ]);
    }
    if (method === 'GET' && url.pathname === '/api/events') return stream.open(req, res);
    const found = route(method, url.pathname);
    if (!found) {
      if (pathKnown(url.pathname))
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} ${url.pathname} is not supported.`);
      throw new HttpError(404, 'NOT_FOUND', `There is no ${url.pathname} in the console API.`);
    }
    const body = method === 'GET' ? undefined : await readJson(req);
    const answer = await found.handler({
      stateDir: opts.stateDir,
      runner,
      body,
      id: found.id,
      query: url.searchParams,
    });
    sendJson(res, answer.status, answer.body);
    if (method !== 'GET') changed();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const { status, body } = toApiError(err);
      if (status >= 500)
        opts.log?.(
          `${req.method} ${req.url?.split('?')[0]}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
      if (!res.headersSent) sendJson(res, status, body);
      else res.end();
    });
  });
  await listen(server, opts.port, host);
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  allowedHosts = LOOPBACK.has(host)
    ? new Set([`${shown}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
    : null;
  const origin = `http://${shown}:${port}`;
  return {
    origin,
    launchUrl: `${origin}/?token=${auth.launchToken}`,
    async close() {
      clearInterval(refresh);
      await runner.close();
      stream.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
