import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signSlackRequest } from '../signature';

export const SECRET = 'test-signing-secret-0123456789abcdef';

export function tempDir(prefix = 'tightknit-events-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

let counter = 0;

/** An event_callback envelope shaped as Slack sends it. */
export function envelope(
  over: { eventId?: string; type?: string; event?: Record<string, unknown> } = {},
): Record<string, unknown> {
  counter += 1;
  return {
    token: 'verification-token-unused',
    team_id: 'T0TEST',
    api_app_id: 'A0TEST',
    type: 'event_callback',
    event_id: over.eventId ?? `Ev${Date.now()}${counter}`,
    event_time: 1767000000 + counter,
    event: over.event ?? {
      type: over.type ?? 'message',
      channel: 'C0GENERAL',
      user: 'U0ANA',
      text: 'hello',
      ts: `1767000000.${String(counter).padStart(6, '0')}`,
    },
  };
}

export interface PostOptions {
  secret?: string;
  timestamp?: number;
  signature?: string;
  retryNum?: number;
}

/** POSTs a body to the receiver signed as Slack would (or not, per options). */
export async function postSigned(url: string, body: string | object, o: PostOptions = {}): Promise<Response> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': o.signature ?? signSlackRequest(o.secret ?? SECRET, ts, raw),
  };
  if (o.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(o.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return fetch(url, { method: 'POST', headers, body: raw });
}
