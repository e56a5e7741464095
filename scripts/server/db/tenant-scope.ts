import type { Pool, PoolClient } from 'pg';
import { APP_ROLE, TENANT_SETTING } from './tenant-tables';
import { inTransaction } from './transaction';

/**
 * Runs `fn` in one transaction scoped to one tenant: as the application role (not a superuser, no
 * BYPASSRLS, so row-level security applies) with the tenant id set for this transaction only. Both
 * settings are transaction-local, so a pooled connection carries neither to its next user. Commits
 * when `fn` resolves, rolls back when it throws.
 */
export function withTenant<T>(pool: Pool, tenantId: number, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    await client.query(`SET LOCAL ROLE ${APP_ROLE}`);
    await client.query('SELECT set_config($1, $2, true)', [TENANT_SETTING, String(tenantId)]);
    return fn(client);
  });
}
