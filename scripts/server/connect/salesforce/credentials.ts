import type { IncomingMessage } from 'node:http';
import type { Pool } from 'pg';
import { revokeToken } from '../../../sync/connection/token-endpoint';
import type { StoredCredentials } from '../../../sync/connection/types';
import { TightknitError } from '../../../sync/errors';
import type { MasterKeys } from '../../secrets/master-key';
import { loadTenantCredentials, SALESFORCE_SECRET } from '../../tenant-state/credentials';
import type { TenantRef } from '../../tenant-state/tenant-ref';
import type { Tenant } from '../../tenants';
import { deleteSecret, setTenantOrg } from '../bindings';
import type { ConnectContext, Disconnected } from '../http';

/** The tenant's stored org credentials, or undefined when none are (instead of NOT_CONNECTED). */
export async function storedOrgCredentials(
  pool: Pool,
  keys: MasterKeys,
  tenant: TenantRef,
): Promise<StoredCredentials | undefined> {
  try {
    return await loadTenantCredentials(pool, keys, tenant);
  } catch (err) {
    if (err instanceof TightknitError && err.code === 'NOT_CONNECTED') return undefined;
    throw err;
  }
}

/** POST disconnect: the refresh token revoked at the login URL (its access tokens with it), then forgotten. */
export async function disconnectSalesforce(
  ctx: ConnectContext,
  req: IncomingMessage,
  tenant: Tenant,
): Promise<Disconnected> {
  const c = await storedOrgCredentials(ctx.pool, ctx.keys, tenant);
  const token = c?.secrets.refreshToken ?? c?.secrets.accessToken;
  let revoked = false;
  let note: string | undefined;
  if (c && token) {
    try {
      revoked = await revokeToken(c.loginUrl, token);
      if (!revoked) note = 'Salesforce said the token was no longer valid.';
    } catch (err) {
      note = `The org could not revoke the token (${err instanceof TightknitError ? err.code : 'unreachable'}); it was forgotten here. Revoke it in Salesforce: Setup → Connected Apps OAuth Usage → Tightknit Salesforce → Revoke.`;
    }
  }
  await deleteSecret(ctx.pool, tenant.id, SALESFORCE_SECRET);
  await setTenantOrg(ctx.pool, tenant.id, null);
  ctx.log?.({
    level: 'info',
    event: 'salesforce-disconnected',
    message: `Salesforce disconnected (revoked: ${revoked}).`,
    tenant: tenant.name,
  });
  await ctx.audit?.(req, tenant, 'disconnect', { instanceUrl: c?.instanceUrl ?? null, revoked });
  return { tenant: tenant.name, disconnected: c !== undefined, revoked, ...(note ? { note } : {}) };
}
