import { withTenant } from '../db/tenant-scope';
import { recordAudit } from '../people/db';
import { page } from '../people/http/pages';
import { PeopleHttpError, sendHtml, sendJson } from '../people/http/web';
import { SALESFORCE_SECRET, SLACK_SECRET } from '../tenant-state/credentials';
import { removeTenant } from '../tenants';
import type { ConsoleCtx, ConsoleDeps, ConsoleRoute } from './context';

/** The connections a tenant still holds a token of, by the name people know them by. */
async function storedConnections(deps: ConsoleDeps, ctx: ConsoleCtx): Promise<string[]> {
  const { rows } = await withTenant(deps.pool, ctx.tenant.id, (c) =>
    c.query<{ name: string }>('SELECT name FROM tenant_secrets WHERE name = ANY($1) ORDER BY name', [
      [SALESFORCE_SECRET, SLACK_SECRET],
    ]),
  );
  return rows.map((r) => (r.name === SALESFORCE_SECRET ? 'the Salesforce org' : 'the Slack workspace'));
}

/**
 * The owner deletes the tenant: takes it out of service (its data kept), or with `deleteData` removes
 * it and every row it owns. The body must repeat the tenant's name (`confirm`). A tenant that still
 * holds an org or Slack token is refused until it is disconnected, so no live authorization is left
 * behind (disconnecting revokes the token). The audit row is operator-wide, as `tenants remove` writes
 * it: the tenant's own rows may go with its data.
 */
async function deleteTenantRoute(deps: ConsoleDeps, ctx: ConsoleCtx): Promise<void> {
  const name = ctx.tenant.name;
  const confirm = ctx.body.confirm;
  if (typeof confirm !== 'string' || confirm.trim() !== name) {
    throw new PeopleHttpError(
      400,
      'CONFIRM_REQUIRED',
      `Deleting tenant '${name}' needs its name repeated: send the field confirm = '${name}'.`,
    );
  }
  const connected = await storedConnections(deps, ctx);
  if (connected.length) {
    throw new PeopleHttpError(
      409,
      'TENANT_CONNECTED',
      `Tenant '${name}' is still connected to ${connected.join(' and ')}. Disconnect first, so the tokens are revoked ` +
        `(tightknit-sync disconnect --tenant ${name}; disconnect-slack --tenant ${name}), then delete the tenant.`,
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
