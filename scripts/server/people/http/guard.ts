import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import { refusal } from '../access';
import { AUTHORIZATION, type Operation } from '../authorization';
import { recordAudit } from '../db';
import { OPERATOR } from '../roles';
import { loadSession, type Principal } from '../sessions';
import type { SessionRules } from '../settings';
import { sameSecret } from '../tokens';
import { page } from './pages';
import { clientIp, cookie, errorBody, SESSION_COOKIE, sendHtml, sendJson } from './web';

/** Answers a refusal: a page for a browser's page request, else the JSON error body. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string): void {
  if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
    const links =
      status === 401 ? '<p><a href="/signin">Sign in</a></p>' : '<p><a href="/account">Your account</a></p>';
    sendHtml(res, status, page(status === 401 ? 'Sign in first' : 'Not allowed', links, { error: message }));
  } else sendJson(res, status, errorBody(code, message));
}

/** Methods that change nothing, so need no CSRF token. */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The header the console's scripts send the CSRF token in (forms send a `csrf` field). */
const CSRF_HEADER = 'x-csrf-token';

export interface GuardDeps {
  pool: Pool;
  rules: SessionRules;
  trustProxy: boolean;
}

/**
 * Checks a request against the table; answers 401/403 itself and resolves undefined when refused. With
 * `tenant` (a route that names its tenant, `/api/tenants/:name/...`), the role checked is the person's
 * role in that tenant, not in the session's current one; null: a tenant they cannot be a member of.
 */
export type Guard = (
  req: IncomingMessage,
  res: ServerResponse,
  body?: Record<string, unknown>,
  tenant?: { id: number; name: string } | null,
) => Promise<Principal | undefined>;

/** The signed-in principal of a request, or undefined (no cookie, or the session ended). */
async function principalOf(deps: GuardDeps, req: IncomingMessage): Promise<Principal | undefined> {
  const token = cookie(req, SESSION_COOKIE);
  return token ? loadSession(deps.pool, token, deps.rules) : undefined;
}

/**
 * `guard(operation)`: what every route of the server console calls first. No valid session → 401; a
 * state-changing request without the session's CSRF token (header `X-CSRF-Token` or form field `csrf`)
 * → 403; a role below the table's least role → 403 naming it. Refusals of a signed-in person are written
 * to the audit trail.
 */
export function makeGuard(deps: GuardDeps): (op: Operation) => Guard {
  return (op) => async (req, res, body, tenant) => {
    const signedIn = await principalOf(deps, req);
    const who =
      signedIn && tenant !== undefined
        ? { ...signedIn, tenant: (tenant && signedIn.tenants.find((t) => t.id === tenant.id)) || null }
        : signedIn;
    if (!who) {
      refuse(req, res, 401, 'SIGN_IN_REQUIRED', 'Sign in first (/signin): there is no session, or it has ended.');
      return undefined;
    }
    const ip = clientIp(req, deps.trustProxy);
    const audit = (action: string, details: Record<string, unknown>): Promise<void> =>
      recordAudit(deps.pool, {
        tenantId: tenant === undefined ? (who.tenant?.id ?? null) : (tenant?.id ?? null),
        actor: who.email,
        action,
        ip,
        details: { operation: op, ...details },
      });
    if (!SAFE.has(req.method ?? 'GET')) {
      const sent = String(req.headers[CSRF_HEADER] ?? (typeof body?.csrf === 'string' ? body.csrf : ''));
      if (!sent || !sameSecret(sent, who.csrfToken)) {
        await audit('csrf.refused', { reason: sent ? 'wrong token' : 'no token' });
        refuse(
          req,
          res,
          403,
          'CSRF_FAILED',
          "This request lacks the page's CSRF token (or it is wrong). Reload the page and try again.",
        );
        return undefined;
      }
    }
    const refused = refusal(who, op);
    if (refused) {
      await audit('access.denied', {
        least: AUTHORIZATION[op],
        held: who.tenant?.role ?? (who.operator ? OPERATOR : null),
      });
      refuse(req, res, refused.status, refused.code, refused.message);
      return undefined;
    }
    return who;
  };
}
