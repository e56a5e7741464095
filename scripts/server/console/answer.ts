import { refusal } from '../people/access';
import { OPERATIONS } from '../people/authorization';
import { sendHtml, sendJson } from '../people/http/web';
import { findTenant } from '../tenants';
import { loadTenantConfig } from '../tenant-state/config';
import type { ConsoleCtx, ConsoleDeps } from './context';
import { tenantPage } from './pages';
import { tenantHistory, tenantStatus } from './view';

/** The tenant page, read now (after a change: with its notice, the tenant's status read again). */
export async function renderTenantPage(
  deps: ConsoleDeps,
  ctx: ConsoleCtx,
  status = 200,
  message: { notice?: string; error?: string } = {},
): Promise<void> {
  const tenant = await findTenant(deps.pool, ctx.tenant.name);
  const [view, history, config] = await Promise.all([
    tenantStatus(deps.pool, tenant),
    tenantHistory(deps.pool, tenant, 10),
    loadTenantConfig(deps.pool, tenant),
  ]);
  const allowed = OPERATIONS.filter((op) => !refusal(ctx.who, op));
  sendHtml(
    ctx.res,
    status,
    tenantPage({
      who: ctx.who,
      view,
      history,
      config,
      allowed,
      connectRoutes: deps.connectRoutes ?? false,
      ...message,
    }),
  );
}

/** After a change: the tenant page with a notice (a form post) or the result as JSON with its message. */
export async function answerChange(
  deps: ConsoleDeps,
  ctx: ConsoleCtx,
  status: number,
  notice: string,
  result: object,
): Promise<void> {
  if (ctx.html) return renderTenantPage(deps, ctx, 200, { notice });
  sendJson(ctx.res, status, { ...result, message: notice });
}
