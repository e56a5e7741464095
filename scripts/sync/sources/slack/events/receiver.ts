import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../../../errors';
import { acceptDelivery, countDelivery, emptyStats, type Delivery, type ReceiverStats } from './accept';
import { parseEnvelope } from './envelope';
import type { AsyncEventInbox } from '../../../store';
import { openInbox, type InboxTarget } from './inbox-db';
import { verifySlackSignature } from './signature';
import { keepInbox } from './upkeep';

const EVENTS_PATH = '/slack/events';
/** Events API payloads are a few kilobytes; anything far larger is not Slack. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface ReceiverLogEntry {
  level: 'info' | 'warn' | 'error';
  event: string;
  message: string;
}
export type ReceiverLog = (entry: ReceiverLogEntry) => void;

export type EventReceiverOptions = InboxTarget & {
  signingSecret: string;
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (put a TLS reverse proxy in front for Slack). */
  host?: string;
  /** Called after each verified delivery has been handled (stored, counted or refused as malformed). */
  onEvent?: (delivery: Delivery) => void;
  log?: ReceiverLog;
  /** Clock in milliseconds (tests). */
  now?: () => number;
};

export interface EventReceiver {
  /** The full Request URL to give Slack, e.g. http://127.0.0.1:3000/slack/events. */
  readonly url: string;
  readonly port: number;
  readonly inbox: AsyncEventInbox;
  stats(): ReceiverStats;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body = '', type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Answers Slack for an accepted delivery: the challenge, a refusal of a malformed payload, or 200. */
function answerDelivery(res: ServerResponse, delivery: Delivery, rawBody: string, log: ReceiverLog): void {
  switch (delivery.outcome) {
    case 'malformed':
      log({ level: 'warn', event: 'malformed', message: `Refused a signed request: ${delivery.cause}.` });
      return send(res, 400, `Malformed Events API payload: ${delivery.cause}.`);
    case 'url-verification': {
      const parsed = JSON.parse(rawBody) as { challenge: string };
      log({ level: 'info', event: 'url-verification', message: 'Answered Slack’s URL verification.' });
      return send(res, 200, JSON.stringify({ challenge: parsed.challenge }), 'application/json');
    }
    case 'rate-limited':
      log({
        level: 'warn',
        event: 'rate-limited',
        message: `Slack reports this app exceeded the Events API limit (30,000 events per hour per workspace) and is dropping events; a Web API poll (\`tightknit-sync sync\`) catches up.`,
      });
      return send(res, 200);
    default:
      return send(res, 200);
  }
}

/** Listens on host:port; a port that cannot be had is a usage error naming the fix. */
async function listen(server: Server, host: string, port: number): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError('LISTEN_FAILED', `Cannot listen on ${host}:${port} (${code ?? String(err)}).`, {
      actions: ['Choose another port with --port, or stop the process that holds it.'],
      cause: err,
    });
  }
}

/**
 * The Events API request URL: POST /slack/events. Each request is verified (signature, five-minute
 * timestamp window), then stored in the inbox and committed before the 200 goes out, so an
 * acknowledged event is never lost and a Slack retry of it is stored once.
 */
export async function startEventReceiver(opts: EventReceiverOptions): Promise<EventReceiver> {
  if (!opts.signingSecret) {
    throw new UsageError('SLACK_SIGNING_SECRET_MISSING', 'The Events API receiver needs the Slack signing secret.', {
      actions: [
        'Set TIGHTKNIT_SLACK_SIGNING_SECRET (Basic Information → App Credentials → Signing Secret) and run `tightknit-sync connect-slack` again, or use Socket Mode (`listen --socket-mode`).',
      ],
    });
  }
  const opened = openInbox(opts);
  const { inbox } = opened;
  const closeInbox = (): Promise<void> => opened.close();
  const stats = emptyStats();
  const now = opts.now ?? ((): number => Date.now());
  const log: ReceiverLog = opts.log ?? (() => undefined);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== EVENTS_PATH) return send(res, 404, `Not found. Slack events go to POST ${EVENTS_PATH}.`);
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return send(res, 405, 'Method not allowed.');
    }
    const raw = await readBody(req);
    if (raw === 'too-large') {
      stats.malformed += 1;
      log({ level: 'warn', event: 'malformed', message: `Refused a request larger than ${MAX_BODY_BYTES} bytes.` });
      return send(res, 413, 'Payload too large.');
    }
    const verdict = verifySlackSignature({
      signingSecret: opts.signingSecret,
      timestamp: header(req, 'x-slack-request-timestamp'),
      signature: header(req, 'x-slack-signature'),
      rawBody: raw,
      nowSeconds: Math.floor(now() / 1000),
    });
    if (!verdict.ok) {
      stats.rejected += 1;
      log({
        level: 'warn',
        event: 'rejected',
        message: `Refused a request (${verdict.reason}) from ${req.socket.remoteAddress ?? 'unknown'}: not signed with this app's signing secret within the last five minutes.`,
      });
      return send(res, 401, 'Invalid Slack signature or timestamp.');
    }
    const rawBody = raw.toString('utf8');
    const delivery = await acceptDelivery(inbox, parseEnvelope(rawBody), rawBody);
    countDelivery(stats, delivery);
    opts.onEvent?.(delivery);
    answerDelivery(res, delivery, rawBody, log);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      stats.errors += 1;
      log({
        level: 'error',
        event: 'store-error',
        message: `Could not store an event (${(err as Error).message}); answered 500 so Slack retries it.`,
      });
      if (!res.headersSent) send(res, 500, 'Could not store the event; retry later.');
      else res.destroy();
    });
  });
  const host = opts.host ?? '127.0.0.1';
  try {
    await listen(server, host, opts.port ?? 3000);
  } catch (err) {
    await closeInbox();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}${EVENTS_PATH}`;
  let endUpkeep: () => Promise<void>;
  try {
    endUpkeep = await keepInbox(opened, 'http', url);
  } catch (err) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await closeInbox();
    throw err;
  }
  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    inbox,
    stats: () => ({ ...stats }),
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        const ended = endUpkeep();
        server.close(() => {
          ended.then(closeInbox).then(resolve, reject);
        });
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
