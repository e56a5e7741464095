import { randomBytes, randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { EventEnvelope } from './envelope';
import { createWsServer, WS_OPEN, WsSocket } from './ws';

/** How one send over Socket Mode ended. */
export interface SocketOutcome {
  ok: boolean;
  reason?: string;
}

/** Clients (@slack/socket-mode) close the connection when no server ping arrives for 30 s. */
const PING_INTERVAL_MS = 10_000;

/**
 * The Socket Mode endpoint (docs.slack.dev "Using Socket Mode"): apps.connections.open issues a
 * one-use `ws://…/link/?ticket=…` URL; on connect the server says `{type:'hello'}`, then sends each
 * event as `{envelope_id, type:'events_api', payload, accepts_response_payload:false, retry_attempt,
 * retry_reason}` and waits for `{envelope_id}` back. Events go to one open connection, round robin.
 */
export class SocketModeServer {
  private readonly wss = createWsServer();
  private readonly tickets = new Set<string>();
  private readonly sockets: WsSocket[] = [];
  private readonly acks = new Map<string, () => void>();
  private next = 0;
  private readonly pinger: NodeJS.Timeout;

  constructor(private readonly appId: string) {
    this.pinger = setInterval(() => {
      for (const s of this.sockets) if (s.readyState === WS_OPEN) s.ping();
    }, PING_INTERVAL_MS);
    this.pinger.unref();
  }

  /** A fresh one-use URL on this server's origin (`ws://host:port`). */
  issueUrl(origin: string): string {
    const ticket = randomBytes(16).toString('hex');
    this.tickets.add(ticket);
    return `${origin}/link/?ticket=${ticket}&app_id=${this.appId}`;
  }

  /** Accepts an HTTP upgrade to /link/ with a valid ticket; anything else is refused with 401/404. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname.replace(/\/$/, '') !== '/link') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (!this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WsSocket): void {
    this.sockets.push(ws);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        const msg = JSON.parse(data.toString('utf8')) as { envelope_id?: unknown };
        if (typeof msg.envelope_id === 'string') this.acks.get(msg.envelope_id)?.();
      } catch {
        // Not JSON: Slack ignores what it cannot parse, so does the emulator.
      }
    });
    const drop = (): void => {
      const i = this.sockets.indexOf(ws);
      if (i >= 0) this.sockets.splice(i, 1);
    };
    ws.on('close', drop);
    ws.on('error', drop);
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.length,
        debug_info: { host: 'slack-emulator', approximate_connection_time: 3600 },
        connection_info: { app_id: this.appId },
      }),
    );
  }

  count(): number {
    return this.sockets.filter((s) => s.readyState === WS_OPEN).length;
  }

  /** Sends one envelope and waits for its ack up to `timeoutMs`. */
  send(env: EventEnvelope, retryAttempt: number, retryReason: string, timeoutMs: number): Promise<SocketOutcome> {
    const open = this.sockets.filter((s) => s.readyState === WS_OPEN);
    if (open.length === 0) return Promise.resolve({ ok: false, reason: 'connection_failed' });
    const ws = open[this.next++ % open.length];
    const envelopeId = randomUUID();
    return new Promise<SocketOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.acks.delete(envelopeId);
        resolve({ ok: false, reason: 'ack_timeout' });
      }, timeoutMs);
      this.acks.set(envelopeId, () => {
        clearTimeout(timer);
        this.acks.delete(envelopeId);
        resolve({ ok: true });
      });
      const message = {
        envelope_id: envelopeId,
        type: 'events_api',
        payload: env,
        accepts_response_payload: false,
        retry_attempt: retryAttempt,
        retry_reason: retryReason,
      };
      ws.send(JSON.stringify(message), (err) => {
        if (!err) return;
        clearTimeout(timer);
        this.acks.delete(envelopeId);
        resolve({ ok: false, reason: 'connection_failed' });
      });
    });
  }

  /** Closes every connection (clients that reconnect automatically should be stopped first). */
  async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const s of this.sockets) s.terminate();
    this.sockets.length = 0;
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
