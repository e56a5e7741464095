import { refusal } from '../people/access';
import { OPERATIONS } from '../people/authorization';
import { PeopleHttpError, sendHtml, sendJson } from '../people/http/web';
import type { Pool } from 'pg';
import { withTenant } from '../db/tenant-scope';
import { findTenant, type Tenant } from '../tenants';
import { SALESFORCE_SECRET, SLACK_SECRET } from '../tenant-state/credentials';
import { loadTenantConfig } from '../tenant-state/config';
import type { ConsoleCtx, ConsoleDeps } from './context';
import { tenantListPage, tenantPage } from './pages';
import { tenantHistory, tenantStatus, visibleTenants } from './view';

/** Which of the tenant's connections still hold a stored token (sealed; only their names are read). */
export async function storedConnections(pool: Pool, tenant: Tenant): Promise<{ salesforce: boolean; slack: boolean }> {
  const { rows } = await withTenant(pool, tenant.id, (c) =>
    c.query<{ name: string }>('SELECT name FROM tenant_secrets WHERE name = ANY($1)', [
      [SALESFORCE_SECRET, SLACK_SECRET],
    ]),
  );
  const names = new Set(rows.map((r) => r.name));
  return { salesforce: names.has(SALESFORCE_SECRET), slack: names.has(SLACK_SECRET) };
}

/** The tenant page, read now (after a change: with its notice, the tenant's status read again). */
export async function renderTenantPage(
  deps: ConsoleDeps,
  ctx: ConsoleCtx,
  status = 200,
  message: { notice?: string; error?: string } = {},
): Promise<void> {
  const tenant = await findTenant(deps.pool, ctx.tenant.name);
  const [view, history, config, connections] = await Promise.all([
    tenantStatus(deps.pool, tenant),
    tenantHistory(deps.pool, tenant, 10),
    loadTenantConfig(deps.pool, tenant),
    storedConnections(deps.pool, tenant),
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
      connections,
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

/** The tenants a person may open: every one for the operator (the table's tenants.list), else their own. */
export function tenantsFor(deps: ConsoleDeps, ctx: ConsoleCtx): ReturnType<typeof visibleTenants> {
  return visibleTenants(deps.pool, { operator: !refusal(ctx.who, 'tenants.list'), tenants: ctx.who.tenants });
}

/** The tenant list, read now, with the operator's add and remove forms when the table allows them. */
export async function renderTenantList(
  deps: ConsoleDeps,
  ctx: ConsoleCtx,
  status = 200,
  message: { notice?: string; error?: string } = {},
): Promise<void> {
  const manage = { add: !refusal(ctx.who, 'tenants.add'), remove: !refusal(ctx.who, 'tenants.remove') };
  sendHtml(ctx.res, status, tenantListPage(ctx.who, await tenantsFor(deps, ctx), manage, message));
}

/**
 * A destructive route's guard against a slip: the body repeats the tenant's name (`confirm`), or the
 * request is refused with what to send. `doing` starts the message ("Deleting", "Removing").
 */
export function requireNameConfirmed(body: Record<string, unknown>, name: string, doing: string): void {
  const confirm = body.confirm;
  if (typeof confirm !== 'string' || confirm.trim() !== name) {
    throw new PeopleHttpError(
      400,
      'CONFIRM_REQUIRED',
      `${doing} tenant '${name}' needs its name repeated: send the field confirm = '${name}'.`,
    );
  }
}
