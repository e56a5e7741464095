import { recordAudit } from '../people/db';
import { page } from '../people/http/pages';
import { PeopleHttpError, sendHtml, sendJson } from '../people/http/web';
import { removeTenant } from '../tenants';
import { requireNameConfirmed, storedConnections } from './answer';
import type { ConsoleCtx, ConsoleDeps, ConsoleRoute } from './context';

/**
 * The owner deletes the tenant: takes it out of service (its data kept), or with `deleteData` removes
 * it and every row it owns. The body must repeat the tenant's name (`confirm`). A tenant that still
 * holds an org or Slack token is refused until it is disconnected, so no live authorization is left
 * behind (disconnecting revokes the token). The audit row is operator-wide, as `tenants remove` writes
 * it: the tenant's own rows may go with its data.
 */
async function deleteTenantRoute(deps: ConsoleDeps, ctx: ConsoleCtx): Promise<void> {
  const name = ctx.tenant.name;
  requireNameConfirmed(ctx.body, name, 'Deleting');
  const stored = await storedConnections(deps.pool, ctx.tenant);
  const connected = [stored.salesforce ? 'the Salesforce org' : '', stored.slack ? 'the Slack workspace' : ''].filter(
    Boolean,
  );
  if (connected.length) {
    throw new PeopleHttpError(
      409,
      'TENANT_CONNECTED',
      `Tenant '${name}' is still connected to ${connected.join(' and ')}. Disconnect first, so the tokens are revoked ` +
        `(the tenant page's Disconnect forms, or tightknit-sync disconnect --tenant ${name}; disconnect-slack --tenant ${name}), then delete the tenant.`,
    );
  }
  const v = ctx.body.deleteData;
  const deleteData = v === true || v === 'on' || v === 'true';
  await removeTenant(deps.pool, name, deleteData);
  await recordAudit(deps.pool, {
    tenantId: null,
    actor: ctx.who.email,
    ip: ctx.ip,
    action: 'tenant.delete',
    details: { tenant: name, deleteData },
  });
  const notice = deleteData
    ? `Tenant '${name}' and all its data deleted.`
    : `Tenant '${name}' taken out of service; its data is kept (the operator can bring it back: tenants add ${name}).`;
  if (ctx.html) sendHtml(ctx.res, 200, page('Tenant deleted', '<p><a href="/tenants">Tenants</a></p>', { notice }));
  else sendJson(ctx.res, 200, { tenant: name, dataDeleted: deleteData, message: notice });
}

/** The routes only a tenant's owner may use. */
export const OWNER_ROUTES: ConsoleRoute[] = [
  { method: 'POST', path: '/api/tenants/:name/delete', op: 'tenant.delete', run: deleteTenantRoute },
];
