import type { IncomingMessage, ServerResponse } from 'node:http';
import { TightknitError } from '../../sync';
import {
  clientIp,
  errorBody,
  isForm,
  PeopleHttpError,
  readBody,
  securityHeaders,
  sendHtml,
  sendJson,
} from '../people/http/web';
import { AUTHORIZATION } from '../people/authorization';
import { page } from '../people/http/pages';
import { OPERATOR } from '../people/roles';
import { StaleConfigError } from '../tenant-state/config';
import { liveTenant, type Tenant } from '../tenants';
import { CHANGE_ROUTES } from './change-routes';
import { OPERATOR_ROUTES } from './operator-routes';
import type { ConsoleCtx, ConsoleDeps, ConsoleRoute } from './context';
import { OWNER_ROUTES } from './owner-routes';
import { READ_ROUTES } from './read-routes';

/** Every route of the tenant console: the authorization test walks this list with every role. */
export const CONSOLE_ROUTES: readonly ConsoleRoute[] = [
  ...READ_ROUTES,
  ...CHANGE_ROUTES,
  ...OWNER_ROUTES,
  ...OPERATOR_ROUTES,
];

function match(method: string, pathname: string): { route: ConsoleRoute; name: string | null } | undefined {
  const parts = pathname.split('/');
  for (const route of CONSOLE_ROUTES) {
    if (route.method !== method) continue;
    const want = route.path.split('/');
    if (want.length !== parts.length) continue;
    let name: string | null = null;
    const ok = want.every((w, i) => {
      if (w !== ':name') return w === parts[i];
      name = decodeURIComponent(parts[i]);
      return /^[a-z0-9][a-z0-9-]{0,62}$/.test(name);
    });
    if (ok) return { route, name };
  }
  return undefined;
}

/** An error as the answer's status, code and message (with what changed for a configuration conflict). */
function known(
  err: unknown,
): { status: number; body: ReturnType<typeof errorBody> & Record<string, unknown> } | undefined {
  if (err instanceof PeopleHttpError) return { status: err.status, body: errorBody(err.code, err.message) };
  if (err instanceof StaleConfigError) {
    const body = errorBody(err.code, err.message);
    body.error.actions = err.actions;
    return { status: 409, body: { ...body, changed: err.changed, currentVersion: err.currentVersion } };
  }
  if (err instanceof TightknitError && err.exitCode === 2) {
    const body = errorBody(err.code, err.message);
    body.error.actions = err.actions;
    return { status: err.code === 'RUN_NOT_FOUND' ? 404 : 400, body };
  }
  return undefined;
}

function fail(res: ServerResponse, html: boolean, err: unknown, tenant: string | null): void {
  const k = known(err);
  if (!k) process.stderr.write(`console: ${(err as Error).stack ?? String(err)}\n`);
  const { status, body } = k ?? {
    status: 500,
    body: errorBody('UNEXPECTED', 'The server hit an unexpected error; its log has the details.'),
  };
  if (res.headersSent) return void res.end();
  if (html) {
    const back = tenant
      ? `<p><a href="/tenants/${encodeURIComponent(tenant)}">Back to tenant ${tenant}</a> (read again)</p>`
      : '<p><a href="/tenants">Tenants</a></p>';
    const fix = body.error.actions.length ? ` ${body.error.actions.join(' ')}` : '';
    sendHtml(res, status, page('Not done', back, { error: body.error.message + fix }));
  } else sendJson(res, status, body);
}

/**
 * The tenant console's request handler: the tenant list and page, and the JSON API of each tenant's
 * status, history, runs and configuration. Every route runs the people layer's guard with its
 * operation of the table, for the tenant its path names. Resolves false for a path it does not own.
 */
export function createConsoleHandler(
  deps: ConsoleDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = match(req.method ?? 'GET', url.pathname);
    if (!found) return false;
    securityHeaders(res);
    const html = isForm(req) || (req.method === 'GET' && !url.pathname.startsWith('/api/'));
    // An operator-wide route acts on the installation: the role checked is the operator's, not one in the
    // tenant it names (which may be removed already), and its answers lead back to the tenant list.
    const operatorWide = AUTHORIZATION[found.route.op] === OPERATOR;
    try {
      // A DELETE may come without a body; a POST or PUT always has one.
      const sends =
        req.method === 'POST' || req.method === 'PUT' || (req.method === 'DELETE' && !!req.headers['content-type']);
      const body = sends ? await readBody(req) : {};
      const tenant =
        found.name === null || operatorWide ? undefined : ((await liveTenant(deps.pool, found.name)) ?? null);
      const who = await deps.guard(found.route.op)(req, res, body, tenant);
      if (!who) return true;
      const ctx: ConsoleCtx = {
        req,
        res,
        url,
        ip: clientIp(req, deps.trustProxy),
        who,
        // Routes without :name never read it; those with one only run once the guard found the tenant.
        tenant: tenant as Tenant,
        name: found.name ?? '',
        body,
        html,
      };
      await found.route.run(deps, ctx);
    } catch (err) {
      fail(res, html, err, operatorWide ? null : found.name);
    }
    return true;
  };
}
