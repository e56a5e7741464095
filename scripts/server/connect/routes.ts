import type { IncomingMessage, ServerResponse } from 'node:http';
import { TightknitError } from '../../sync/errors';
import { findTenant, type Tenant } from '../tenants';
import { ConnectRefusal, readBody, sendJson, sendPage, type ConnectContext, type Disconnected } from './http';
import { finishSalesforceConnect, startSalesforceConnect } from './salesforce/authorize';
import { disconnectSalesforce } from './salesforce/credentials';
import { receiveSlackEvent } from './slack/events';
import { disconnectSlack, finishSlackInstall, startSlackInstall } from './slack/install';

/**
 * The paths `connectRoutes` answers. The Salesforce callback is at the path of the configured callback
 * URL (default /connect/salesforce/callback), which must be registered on the External Client App.
 */
export const CONNECT_PATHS = {
  slackStart: '/connect/slack/start',
  slackCallback: '/connect/slack/callback',
  slackDisconnect: '/connect/slack/disconnect',
  slackEvents: '/slack/events',
  salesforceStart: '/connect/salesforce/start',
  salesforceDisconnect: '/connect/salesforce/disconnect',
} as const;

type Handler = (ctx: ConnectContext, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
type TenantHandler = (
  ctx: ConnectContext,
  req: IncomingMessage,
  res: ServerResponse,
  tenant: Tenant,
  url: URL,
) => Promise<void>;

/** Resolves `?tenant=` and asks serve whether this request may manage it. */
function forTenant(handle: TenantHandler, formCsrf?: string): Handler {
  return async (ctx, req, res, url) => {
    const name = url.searchParams.get('tenant') ?? '';
    let tenant: Tenant;
    try {
      tenant = await findTenant(ctx.pool, name);
    } catch (err) {
      if (err instanceof TightknitError && err.code === 'TENANT_UNKNOWN') {
        throw new ConnectRefusal(404, 'No such community', `There is no tenant '${name}' on this server.`);
      }
      throw err;
    }
    if (!(await ctx.mayManage(req, tenant, formCsrf))) {
      throw new ConnectRefusal(
        403,
        'Not allowed',
        `You may not connect or disconnect ${tenant.name}. Ask an administrator of it.`,
      );
    }
    if (tenant.status === 'removed') {
      throw new ConnectRefusal(
        409,
        'Community removed',
        `${tenant.name} was removed. Add it again (tenants add) before connecting it.`,
      );
    }
    await handle(ctx, req, res, tenant, url);
  };
}

/** A browser's form post (the tenant page's disconnect forms), not the console script's JSON call. */
function isFormPost(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/**
 * A form post's fields. The form carries the session's CSRF token in its `csrf` field, as every form of
 * the console does; the route hands it to serve's check (`mayManage`).
 */
async function formFields(req: IncomingMessage): Promise<URLSearchParams> {
  const body = await readBody(req, 16 * 1024);
  if (body === 'too-large') throw new ConnectRefusal(413, 'Too large', 'The form sent more than it should.');
  const fields = new URLSearchParams(body.toString('utf8'));
  return fields;
}

/**
 * A disconnect route: JSON for the console's scripts (`X-CSRF-Token` header), or the tenant page's form
 * (`csrf` field, and the `confirm` box ticked), answered with a page that leads back to the tenant.
 */
function disconnect(
  what: string,
  run: (ctx: ConnectContext, req: IncomingMessage, tenant: Tenant) => Promise<Disconnected>,
): Handler {
  return async (ctx, req, res, url) => {
    const form = isFormPost(req) ? await formFields(req) : undefined;
    const handle: TenantHandler = async (c, q, s, tenant) => {
      if (form && form.get('confirm') !== 'on') {
        throw new ConnectRefusal(
          400,
          'Not confirmed',
          `Nothing was disconnected: tick the box that says what disconnecting ${what} does, then press Disconnect again.`,
        );
      }
      const r = await run(c, q, tenant);
      if (!form) return sendJson(s, 200, r);
      const text = r.disconnected
        ? `${what} disconnected from ${tenant.name}${r.revoked ? '; its token was revoked' : ''}.${r.note ? ` ${r.note}` : ''}`
        : `No ${what} was connected to ${tenant.name}; nothing changed.`;
      sendPage(s, 200, r.disconnected ? `${what} disconnected` : 'Nothing to disconnect', text, c.settings.publicUrl, {
        href: `${c.settings.publicUrl}/tenants/${encodeURIComponent(tenant.name)}`,
        label: `Back to tenant ${tenant.name}`,
      });
    };
    await forTenant(handle, form?.get('csrf') ?? undefined)(ctx, req, res, url);
  };
}

interface Route {
  method: 'GET' | 'POST';
  /** Answers in JSON (the console calls it), not with a page (a browser lands on it, or posts a form). */
  json: boolean;
  handle: Handler;
}

function routes(): Map<string, Route> {
  return new Map<string, Route>([
    [
      CONNECT_PATHS.slackStart,
      { method: 'GET', json: false, handle: forTenant((c, q, s, t) => startSlackInstall(c, q, s, t)) },
    ],
    [CONNECT_PATHS.slackCallback, { method: 'GET', json: false, handle: (c, q, s) => finishSlackInstall(c, q, s) }],
    [
      CONNECT_PATHS.slackDisconnect,
      { method: 'POST', json: true, handle: disconnect('Slack', (c, q, t) => disconnectSlack(c, q, t)) },
    ],
    [CONNECT_PATHS.slackEvents, { method: 'POST', json: true, handle: (c, q, s) => receiveSlackEvent(c, q, s) }],
    [
      CONNECT_PATHS.salesforceStart,
      { method: 'GET', json: false, handle: forTenant((c, q, s, t, u) => startSalesforceConnect(c, q, s, t, u)) },
    ],
    [
      CONNECT_PATHS.salesforceDisconnect,
      { method: 'POST', json: true, handle: disconnect('Salesforce', (c, q, t) => disconnectSalesforce(c, q, t)) },
    ],
  ]);
}

const salesforceCallback: Route = {
  method: 'GET',
  json: false,
  handle: (c, q, s, u) => finishSalesforceConnect(c, q, s, u),
};

/** The route of a path: a fixed one, or the Salesforce callback at the configured callback URL's path. */
function find(table: Map<string, Route>, ctx: ConnectContext, path: string): Route | undefined {
  const callback = ctx.settings.salesforce?.callbackUrl;
  if (callback && new URL(callback).pathname === path) return salesforceCallback;
  return table.get(path);
}

/**
 * The connect routes as one node:http handler for `serve` to mount: resolves true when it answered the
 * request, false when the path is not one of its own (serve goes on to its other routes). Errors become
 * a page (or JSON) naming the cause and the fix; nothing secret is ever in an answer.
 */
export function connectRoutes(ctx: ConnectContext): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const table = routes();
  return async (req, res) => {
    const url = new URL(req.url ?? '/', ctx.settings.publicUrl);
    const route = find(table, ctx, url.pathname);
    if (!route) return false;
    try {
      if (req.method !== route.method)
        throw new ConnectRefusal(405, 'Method not allowed', `Use ${route.method} for ${url.pathname}.`);
      await route.handle(ctx, req, res, url);
    } catch (err) {
      const refusal =
        err instanceof ConnectRefusal
          ? err
          : new ConnectRefusal(
              500,
              'Something went wrong',
              'The server could not finish this step; the operator’s log has the cause. Try again.',
            );
      if (!(err instanceof ConnectRefusal)) {
        ctx.log?.({
          level: 'error',
          event: 'connect-error',
          message: `${url.pathname}: ${err instanceof TightknitError ? err.code : (err as Error).name}: ${(err as Error).message}`,
        });
      }
      if (res.headersSent) res.destroy();
      else if (route.json && !isFormPost(req))
        sendJson(res, refusal.status, { error: refusal.title, message: refusal.message });
      else sendPage(res, refusal.status, refusal.title, refusal.message, ctx.settings.publicUrl);
    }
    return true;
  };
}
