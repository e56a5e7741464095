import { investigateRun, listRuns } from '../../sync';
import { PeopleHttpError, sendHtml, sendJson } from '../people/http/web';
import { PgStore } from '../store';
import { loadTenantConfig } from '../tenant-state/config';
import { renderTenantList, renderTenantPage, tenantsFor } from './answer';
import { investigatePage } from './investigate-page';
import type { ConsoleCtx, ConsoleDeps, ConsoleRoute } from './context';
import { tenantHistory, tenantStatus } from './view';

/** `?name=` as a whole number from 1 to `max`, or the default; anything else is a 400 naming it. */
function queryNumber(ctx: ConsoleCtx, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = ctx.url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) {
    throw new PeopleHttpError(
      400,
      'QUERY_INVALID',
      `?${name}= must be a whole number from 1 to ${max} (got '${raw}').`,
    );
  }
  return n;
}

/** `investigate` of `?run=N` (default: the last run), as JSON or as its page. */
async function investigate(deps: ConsoleDeps, ctx: ConsoleCtx): Promise<void> {
  const store = PgStore.open(deps.pool, ctx.tenant.id, `tenant '${ctx.tenant.name}'`);
  const last = (await listRuns(store, 1))[0];
  const runId = queryNumber(ctx, 'run', last?.runId ?? 0);
  if (runId === 0) throw new PeopleHttpError(404, 'NO_RUNS', `Tenant '${ctx.tenant.name}' has no runs yet.`);
  const inv = await investigateRun(store, runId);
  if (ctx.html) sendHtml(ctx.res, 200, investigatePage(ctx.who, ctx.tenant.name, inv));
  else sendJson(ctx.res, 200, inv);
}

/** The console's reading routes: never a secret, never a change. */
export const READ_ROUTES: ConsoleRoute[] = [
  {
    method: 'GET',
    path: '/api/tenants',
    op: 'session.read',
    run: async (deps, ctx) => sendJson(ctx.res, 200, { tenants: await tenantsFor(deps, ctx) }),
  },
  {
    method: 'GET',
    path: '/tenants',
    op: 'session.read',
    run: (deps, ctx) => renderTenantList(deps, ctx),
  },
  { method: 'GET', path: '/tenants/:name', op: 'status', run: (deps, ctx) => renderTenantPage(deps, ctx) },
  {
    method: 'GET',
    path: '/api/tenants/:name/status',
    op: 'status',
    run: async (deps, ctx) => sendJson(ctx.res, 200, await tenantStatus(deps.pool, ctx.tenant)),
  },
  {
    method: 'GET',
    path: '/api/tenants/:name/history',
    op: 'history',
    run: async (deps, ctx) =>
      sendJson(ctx.res, 200, await tenantHistory(deps.pool, ctx.tenant, queryNumber(ctx, 'limit', 20, 500))),
  },
  { method: 'GET', path: '/api/tenants/:name/investigate', op: 'investigate', run: investigate },
  { method: 'GET', path: '/tenants/:name/investigate', op: 'investigate', run: investigate },
  {
    method: 'GET',
    path: '/api/tenants/:name/configuration',
    op: 'status',
    run: async (deps, ctx) => sendJson(ctx.res, 200, await loadTenantConfig(deps.pool, ctx.tenant)),
  },
];
