import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer other than 2xx: its status, a code, a message saying the cause and the fix. */
export class PeopleHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The session cookie. */
export const SESSION_COOKIE = 'tk_session';
/** The sign-in form's CSRF cookie (double submit: before sign-in there is no session to hold a token). */
export const FORM_COOKIE = 'tk_form';

const MAX_BODY = 64 * 1024;

/**
 * The Content-Security-Policy of every answer: scripts and styles only from this server (no inline
 * script or style at all), no framing, forms only to this server.
 */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

export function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i;

/** Cookies are `Secure` unless the server is reached on a loopback address (plain http on one's own machine). */
export function secureCookies(req: IncomingMessage): boolean {
  return !LOOPBACK.test(req.headers.host ?? '');
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax (the identity provider's redirect back must carry it), Path=/. */
export function setCookie(req: IncomingMessage, name: string, value: string, maxAgeSeconds?: number): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'HttpOnly', 'SameSite=Lax', 'Path=/'];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (secureCookies(req)) parts.push('Secure');
  return parts.join('; ');
}

export const clearCookie = (req: IncomingMessage, name: string): string => setCookie(req, name, '', 0);

/** The peer's address (the serve process sets `trustProxy` to read X-Forwarded-For from its proxy). */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy
    ? String(req.headers['x-forwarded-for'] ?? '')
        .split(',')[0]
        .trim()
    : '';
  return forwarded || req.socket.remoteAddress || 'unknown';
}

/** True for a form post (the pages); false for the JSON API. */
export function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** The body of a POST as string fields: JSON or a form. */
export async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') {
    throw new PeopleHttpError(415, 'BODY_TYPE', 'Send the body as JSON (application/json) or as a form.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY)
      throw new PeopleHttpError(413, 'BODY_TOO_LARGE', `The request body is over ${MAX_BODY} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  if (text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Answered below.
  }
  throw new PeopleHttpError(400, 'INVALID_JSON', 'The request body must be a JSON object.');
}

/** A string field of a body; missing or not a string → 400 naming the field. */
export function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || v.trim() === '') {
    throw new PeopleHttpError(400, 'FIELD_REQUIRED', `The field '${name}' is required.`);
  }
  return v;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string, cookies: string[] = []): void {
  res.writeHead(303, { Location: location, ...(cookies.length ? { 'Set-Cookie': cookies } : {}) });
  res.end();
}

/** The JSON body of an error answer, the shape the console's API uses. */
export function errorBody(
  code: string,
  message: string,
): { error: { code: string; message: string; actions: string[] } } {
  return { error: { code, message, actions: [] } };
}
