import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { ConnectContext } from '../connect/http';
import { CONNECT_PATHS, connectRoutes } from '../connect/routes';
import type { ConnectSettings } from '../connect/settings';
import { createConsoleHandler } from '../console/handler';
import { refusal } from '../people/access';
import type { Operation } from '../people/authorization';
import { recordAudit } from '../people/db';
import { createPeopleHandler, type PeopleHandler } from '../people/http/handler';
import { clientIp, cookie, SESSION_COOKIE } from '../people/http/web';
import type { OidcClient } from '../people/oidc';
import { loadSession } from '../people/sessions';
import { sessionRulesFromEnv, type SessionRules } from '../people/settings';
import { hashToken, sameSecret } from '../people/tokens';
import type { RunQueue } from '../queue/runs';
import type { MasterKeys } from '../secrets/master-key';

/** What `serve` mounts beside /healthz and /metrics on its one port. */
export interface ServeAppOptions {
  pool: Pool;
  log: Logger;
  /** The connect routes; unset (no TIGHTKNIT_PUBLIC_URL) they are not mounted. */
  connect?: { settings: ConnectSettings; keys: MasterKeys };
  oidc?: OidcClient;
  rules?: SessionRules;
  /** The process's run queue: the tenant console's sync, retry and rematch go on it. */
  queue?: Pick<RunQueue, 'enqueue'>;
}

/**
 * The connect routes serve guards, each with the operation of the authorization table it performs (the
 * callbacks are protected by their signed `state`, the Slack events endpoint by Slack's signature).
 */
export const GUARDED_CONNECT_ROUTES: readonly { method: 'GET' | 'POST'; path: string; op: Operation }[] = [
  { method: 'GET', path: CONNECT_PATHS.salesforceStart, op: 'connect' },
  { method: 'POST', path: CONNECT_PATHS.salesforceDisconnect, op: 'disconnect' },
  { method: 'GET', path: CONNECT_PATHS.slackStart, op: 'slack.install' },
  { method: 'POST', path: CONNECT_PATHS.slackDisconnect, op: 'slack.disconnect' },
];

/** The operation of the authorization table a connect route performs. */
function operationOf(path: string): Operation {
  return GUARDED_CONNECT_ROUTES.find((r) => r.path === path)?.op ?? 'connect';
}

/**
 * Whether the signed-in person may run this connect route on `tenant`: their role in that tenant (not
 * only the session's current one) against the table's least role for the route's operation, and for a
 * POST the session's CSRF token. A refusal of a signed-in person is written to the audit trail.
 */
function mayManage(pool: Pool, rules: SessionRules): ConnectContext['mayManage'] {
  return async (req, tenant, formCsrf) => {
    const token = cookie(req, SESSION_COOKIE);
    const who = token ? await loadSession(pool, token, rules) : undefined;
    if (!who) return false;
    const op = operationOf(new URL(req.url ?? '/', 'http://localhost').pathname);
    const membership = who.tenants.find((t) => t.id === tenant.id) ?? null;
    const refused = refusal({ ...who, tenant: membership }, op);
    const sent = String(req.headers['x-csrf-token'] ?? formCsrf ?? '');
    const csrfOk = req.method === 'GET' || (sent !== '' && sameSecret(sent, who.csrfToken));
    if (refused || !csrfOk) {
      await recordAudit(pool, {
        tenantId: tenant.id,
        actor: who.email,
        action: csrfOk ? 'access.denied' : 'csrf.refused',
        ip: clientIp(req, false),
        details: { operation: op, held: membership?.role ?? null },
      });
      return false;
    }
    return true;
  };
}

/**
 * Writes a successful connect or disconnect to the audit trail as the signed-in person. The start and
 * disconnect routes ran mayManage (a session); a callback finishes in the session that started it.
 */
function auditConnect(pool: Pool, rules: SessionRules): NonNullable<ConnectContext['audit']> {
  return async (req, tenant, action, details) => {
    const token = cookie(req, SESSION_COOKIE);
    const who = token ? await loadSession(pool, token, rules) : undefined;
    await recordAudit(pool, {
      tenantId: tenant.id,
      actor: who?.email ?? 'unknown',
      action,
      ip: clientIp(req, false),
      details,
    });
  };
}

/**
 * The request handler of `serve`'s port: the connect routes first (the Slack events endpoint needs the
 * raw body), then the people layer (sign-in, people, audit), then the tenant console (console/), then
 * /healthz and /metrics (`ops`).
 */
export function serveApp(
  opts: ServeAppOptions,
  ops: (req: IncomingMessage, res: ServerResponse) => void,
): { people: PeopleHandler; handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> } {
  const { pool, log } = opts;
  const rules = opts.rules ?? sessionRulesFromEnv();
  const people = createPeopleHandler({ pool, rules, ...(opts.oidc ? { oidc: opts.oidc } : {}) });
  const connect = opts.connect
    ? connectRoutes({
        pool,
        keys: opts.connect.keys,
        settings: opts.connect.settings,
        mayManage: mayManage(pool, rules),
        audit: auditConnect(pool, rules),
        // A sign-in started in one browser session only finishes in it: the session cookie's hash.
        sessionOf: (req) => {
          const token = cookie(req, SESSION_COOKIE);
          return token ? hashToken(token) : undefined;
        },
        log: (entry) => log[entry.level]({ tenant: entry.tenant, event: entry.event }, entry.message),
      })
    : undefined;
  const tenantConsole = createConsoleHandler({
    pool,
    guard: (op) => people.guard(op),
    trustProxy: false,
    connectRoutes: connect !== undefined,
    ...(opts.connect ? { keys: () => opts.connect!.keys } : {}),
    ...(opts.queue ? { queue: opts.queue } : {}),
  });
  return {
    people,
    handle: async (req, res) => {
      if (connect && (await connect(req, res))) return;
      if (await people.handle(req, res)) return;
      if (await tenantConsole(req, res)) return;
      ops(req, res);
    },
  };
}
