import type { ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import { revokeToken } from '../../../sync/connection/token-endpoint';
import type { StoredCredentials } from '../../../sync/connection/types';
import { TightknitError, UsageError } from '../../../sync/errors';
import type { MasterKeys } from '../../secrets/master-key';
import type { Tenant } from '../../tenants';
import { deleteSecret, getJsonSecret, SALESFORCE_SECRET, setTenantOrg } from '../bindings';
import { sendJson, type ConnectContext } from '../http';

/** A tenant's org authorization as stored (sealed) under SALESFORCE_SECRET. */
export interface OrgConnection {
  loginUrl: string;
  instanceUrl: string;
  orgId: string;
  userId?: string;
  username?: string;
  clientId: string;
  refreshToken: string;
  /** The access token of the sign-in; a pass renews it with the refresh token when it has expired. */
  accessToken: string;
  connectedAt: string;
}

/**
 * What a sync pass needs to open a connection to the tenant's org, in the shape the embedded mode
 * stores (`StoredCredentials`, method 'web'): open it as `openConnection` does, renewing the access
 * token with the refresh token. `clientSecret` is the app's (settings), added when the app requires it
 * for refreshes. A tenant without an org is a UsageError naming the fix.
 */
export async function tenantOrgCredentials(
  pool: Pool,
  keys: MasterKeys,
  tenantId: number,
  clientSecret?: string,
): Promise<StoredCredentials> {
  const c = await getJsonSecret<OrgConnection>(pool, keys, tenantId, SALESFORCE_SECRET);
  if (!c) {
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [tenantId]);
    throw new UsageError('ORG_NOT_CONNECTED', `Tenant ${rows[0]?.name ?? tenantId} has no Salesforce org connected.`, {
      actions: [
        'An administrator of the community connects it from the console: Connect Salesforce (docs/server-connect.md).',
      ],
    });
  }
  return {
    method: 'web',
    loginUrl: c.loginUrl,
    instanceUrl: c.instanceUrl,
    clientId: c.clientId,
    orgId: c.orgId,
    ...(c.userId ? { userId: c.userId } : {}),
    ...(c.username ? { username: c.username } : {}),
    connectedAt: c.connectedAt,
    secrets: { accessToken: c.accessToken, refreshToken: c.refreshToken, ...(clientSecret ? { clientSecret } : {}) },
  };
}

/** POST disconnect: the refresh token revoked at the login URL (its access tokens with it), then forgotten. */
export async function disconnectSalesforce(ctx: ConnectContext, res: ServerResponse, tenant: Tenant): Promise<void> {
  const c = await getJsonSecret<OrgConnection>(ctx.pool, ctx.keys, tenant.id, SALESFORCE_SECRET);
  let revoked = false;
  let note: string | undefined;
  if (c) {
    try {
      revoked = await revokeToken(c.loginUrl, c.refreshToken);
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
  sendJson(res, 200, { tenant: tenant.name, disconnected: c !== undefined, revoked, ...(note ? { note } : {}) });
}
