import { retireTenant, type RemovalRevocations } from '../cli-support';
import { recordAudit } from '../people/db';
import { field, sendJson } from '../people/http/web';
import { resolveMasterKeys } from '../secrets/master-key';
import { addTenant } from '../tenants';
import { renderTenantList, requireNameConfirmed } from './answer';
import type { ConsoleCtx, ConsoleDeps, ConsoleRoute } from './context';

/** The master keys: the ones serve gave the console, else the environment's (as the CLI reads them). */
const keysOf = (deps: ConsoleDeps) => deps.keys ?? (() => resolveMasterKeys());

/** An operator-wide audit row (no tenant: a removed tenant's own rows may go with its data), as the CLI writes it. */
const audit = (deps: ConsoleDeps, ctx: ConsoleCtx, action: string, details: Record<string, unknown>) =>
  recordAudit(deps.pool, { tenantId: null, actor: ctx.who.email, ip: ctx.ip, action, details });

/** After an operator's change: the tenant list with a notice (a form post), or the result as JSON. */
async function answer(
  deps: ConsoleDeps,
  ctx: ConsoleCtx,
  status: number,
  notice: string,
  result: object,
  error?: string,
): Promise<void> {
  if (ctx.html) return renderTenantList(deps, ctx, 200, { notice, ...(error ? { error } : {}) });
  sendJson(ctx.res, status, { ...result, message: notice, ...(error ? { warning: error } : {}) });
}

/** `tenants add` from the console: a new tenant with its own data key, or a removed one brought back. */
async function addRoute(deps: ConsoleDeps, ctx: ConsoleCtx): Promise<void> {
  const name = field(ctx.body, 'name').trim();
  const community = typeof ctx.body.community === 'string' ? ctx.body.community : undefined;
  const added = await addTenant(deps.pool, keysOf(deps)(), name, community);
  await audit(deps, ctx, 'tenants.add', {
    tenant: name,
    restored: added.restored,
    ...(added.tenant.community ? { community: added.tenant.community } : {}),
  });
  const notice = added.restored
    ? `Tenant '${name}' is back in service, with the data it had.`
    : `Tenant '${name}' added, with its own data key. Give someone a role in it: tightknit-sync users add <email> --role owner --tenant ${name}.`;
  await answer(deps, ctx, added.restored ? 200 : 201, notice, added);
}

/** What the revocations of a removal mean for a person: one line each, and what to do about a failed one. */
function revocationLines(r: RemovalRevocations, name: string, deleteData: boolean): { done: string[]; fix?: string } {
  const done = [
    r.salesforce?.revoked ? `Salesforce token revoked at ${r.salesforce.instanceUrl}.` : '',
    r.slack?.revoked ? `Slack bot token revoked in workspace ${r.slack.teamId}.` : '',
  ].filter(Boolean);
  const failed = [r.salesforce, r.slack]
    .filter((x) => x?.failed)
    .map((x) => x?.note ?? 'A token could not be revoked.');
  if (failed.length === 0) return { done };
  const fix = deleteData
    ? 'Revoke it there by hand; nothing of it is kept here.'
    : `It is kept sealed: revoke it by hand there, or add tenant '${name}' again and disconnect it.`;
  return { done, fix: `${failed.join(' ')} ${fix}` };
}

/**
 * `tenants remove` from the console: the tokens revoked first, then the tenant out of service (its data
 * kept) or, with `deleteData`, deleted with every row it owns. The body repeats the name (`confirm`).
 */
async function removeRoute(deps: ConsoleDeps, ctx: ConsoleCtx): Promise<void> {
  const name = ctx.name;
  requireNameConfirmed(ctx.body, name, 'Removing');
  const v = ctx.body.deleteData;
  const deleteData = v === true || v === 'on' || v === 'true';
  const { tenant, revocations } = await retireTenant(deps.pool, keysOf(deps), name, deleteData);
  await audit(deps, ctx, 'tenants.remove', { tenant: name, deleteData, revocations });
  const lines = revocationLines(revocations, name, deleteData);
  const notice = [
    ...lines.done,
    deleteData
      ? `Tenant '${name}' and all its data deleted.`
      : `Tenant '${name}' removed from service; its data is kept (adding a tenant of that name brings it back).`,
  ].join(' ');
  await answer(deps, ctx, 200, notice, { tenant, dataDeleted: deleteData, revocations }, lines.fix);
}

/** The operator's routes: add and remove tenants (the installation, not one tenant). */
export const OPERATOR_ROUTES: ConsoleRoute[] = [
  { method: 'POST', path: '/api/tenants', op: 'tenants.add', run: addRoute },
  { method: 'DELETE', path: '/api/tenants/:name', op: 'tenants.remove', run: removeRoute },
  // The list page's form (a form cannot DELETE): the same removal.
  { method: 'POST', path: '/api/tenants/:name/remove', op: 'tenants.remove', run: removeRoute },
];
