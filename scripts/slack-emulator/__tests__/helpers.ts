import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** An event_callback envelope as received. */
export interface EnvelopeJson {
  type: string;
  event_id: string;
  team_id: string;
  event: { type: string; subtype?: string; [field: string]: unknown };
  [field: string]: unknown;
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: EnvelopeJson;
}

/**
 * An Events API receiver for tests: records every request; `answer` decides each response
 * (status, optional delay) from the request number (0-based).
 */
export async function startReceiver(
  answer: (n: number) => { status: number; delayMs?: number; headers?: Record<string, string> } = () => ({
    status: 200,
  }),
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const n = received.length;
      received.push({ headers: req.headers, body, json: JSON.parse(body) as EnvelopeJson });
      const a = answer(n);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(a.status, a.headers ?? {});
        res.end('');
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Verifies a request the way Slack documents it, independently of the emulator's code. */
export function verifySlackSignature(secret: string, r: Received): boolean {
  const ts = String(r.headers['x-slack-request-timestamp']);
  const expected = 'v0=' + createHmac('sha256', secret).update(`v0:${ts}:${r.body}`).digest('hex');
  const got = String(r.headers['x-slack-signature']);
  return got.length === expected.length && timingSafeEqual(Buffer.from(got), Buffer.from(expected));
}

/** Polls until `check` holds (or fails the test after `timeoutMs`). */
export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
