import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SESSION_COOKIE = 'tk_console';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * Who may use the console. The printed URL carries a one-time launch token; the first page load
 * trades it for a session cookie (HttpOnly, SameSite=Strict) and the token is spent. With an auth
 * token file (required off loopback), `Authorization: Bearer <token>` works as well, for scripts.
 */
export class ConsoleAuth {
  readonly launchToken = randomBytes(24).toString('base64url');
  private launchUsed = false;
  private readonly sessions = new Set<string>();

  constructor(private readonly bearerToken?: string) {}

  /** A session id for a valid, unspent launch token; undefined otherwise. */
  exchange(token: string | null): string | undefined {
    if (!token || this.launchUsed || !same(token, this.launchToken)) return undefined;
    this.launchUsed = true;
    const session = randomBytes(32).toString('base64url');
    this.sessions.add(session);
    return session;
  }

  sessionCookie(session: string): string {
    return `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`;
  }

  authorized(req: IncomingMessage): boolean {
    const session = cookie(req, SESSION_COOKIE);
    if (session && this.sessions.has(session)) return true;
    const header = req.headers.authorization ?? '';
    return this.bearerToken !== undefined && header.startsWith('Bearer ') && same(header.slice(7), this.bearerToken);
  }
}

/**
 * Host header check against DNS rebinding: a page on another site that resolves its name to
 * 127.0.0.1 sends its own Host, which is refused (null = bound off loopback, any name may reach it,
 * the auth token guards it). Origin, when sent, must be this server.
 */
export function trustedRequest(req: IncomingMessage, allowedHosts: Set<string> | null): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  if (allowedHosts && !allowedHosts.has(host)) return false;
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${host}`;
}
