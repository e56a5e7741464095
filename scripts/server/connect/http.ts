import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import type { MasterKeys } from '../secrets/master-key';
import type { Tenant } from '../tenants';
import type { ConnectSettings } from './settings';

/** A line for the operator's log: ids and outcomes only, never a token, code or state. */
export interface ConnectLogEntry {
  level: 'info' | 'warn' | 'error';
  event: string;
  message: string;
  tenant?: string;
}

/** What every connect route needs; `serve` builds it once. */
export interface ConnectContext {
  pool: Pool;
  keys: MasterKeys;
  settings: ConnectSettings;
  /**
   * Whether this request may connect or disconnect `tenant` (serve's sign-in and roles decide). The
   * start and disconnect routes answer 403 when it says no; the callbacks are protected by `state`.
   */
  /** `formCsrf`: the CSRF token a form post carried in its `csrf` field (scripts send the X-CSRF-Token header). */
  mayManage(req: IncomingMessage, tenant: Tenant, formCsrf?: string): boolean | Promise<boolean>;
  /** The signed-in person's session id: a sign-in started in one session only finishes in it. */
  sessionOf?(req: IncomingMessage): string | undefined;
  log?(entry: ConnectLogEntry): void;
  /**
   * Writes a successful connect or disconnect to the audit trail as the signed-in person (serve: their
   * email and address). `action` is the authorization table's operation, as the CLI names it; `details`
   * hold ids only (org id, instance URL, team id), never a token.
   */
  audit?(
    req: IncomingMessage,
    tenant: AuditedTenant,
    action: ConnectAction,
    details: Record<string, unknown>,
  ): Promise<void>;
}

/** The operations the connect routes perform, named as the authorization table and the CLI's audit name them. */
type ConnectAction = 'connect' | 'disconnect' | 'slack.install' | 'slack.disconnect';

/** The tenant an audit row is about. */
interface AuditedTenant {
  id: number;
  name: string;
}

/** A refusal shown to the person as a page (or JSON for the disconnect routes): what happened and what to do. */
export class ConnectRefusal extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  'Referrer-Policy': 'no-referrer',
};

/** A small page: a heading and one paragraph, with a link back to serve's console (or to `back`). */
export function sendPage(
  res: ServerResponse,
  status: number,
  title: string,
  text: string,
  home: string,
  back: { href: string; label: string } = { href: `${home}/`, label: 'Back to the console' },
): void {
  const body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head>` +
    `<body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${esc(title)}</h1>` +
    `<p id="message">${esc(text)}</p><p><a href="${esc(back.href)}" id="back">${esc(back.label)}</a></p></body></html>`;
  res.writeHead(status, { ...HEADERS, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
  res.end();
}

/** What a disconnect route did: whether anything was connected, whether its token was revoked, and a note if not. */
export interface Disconnected {
  tenant: string;
  disconnected: boolean;
  revoked: boolean;
  note?: string;
}

/** The request's body, or 'too-large' past `max` bytes (the rest is drained, not kept). */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > max ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
