import type { Pool, PoolClient } from 'pg';
import { APP_ROLE, TENANT_SETTING } from './tenant-tables';
import { inTransaction } from './transaction';

/**
 * Runs `fn` in one transaction scoped to one tenant: as the application role (not a superuser, no
 * BYPASSRLS, so row-level security applies) with the tenant id set for this transaction only. Both
 * settings are transaction-local, so a pooled connection carries neither to its next user. Commits
 * when `fn` resolves, rolls back when it throws.
 */
export function withTenant<T>(
  pool: Pool,
  tenantId: number,
  fn: (client: PoolClient) => Promise<T>,
  settings = '',
): Promise<T> {
  // One round trip opens the scope (a store call is often a single short statement). `settings`: more
  // `SET LOCAL …` statements of ours (constant text, never a value from outside), sent in the same round trip.
  const begin = `BEGIN; ${scopeSql(tenantId)}${settings}`;
  return inTransaction(pool, fn, begin);
}

/**
 * Runs `fn` scoped to one tenant inside the caller's open transaction on `client` (as `withTenant`
 * scopes a transaction of its own), then ends the scope: the rest of the transaction is the caller's
 * again. For an operator transaction that reads a little of each tenant it visits without borrowing a
 * second connection per tenant. When `fn` throws the scope is left to the rollback.
 */
export async function inTenantScope<T>(client: PoolClient, tenantId: number, fn: () => Promise<T>): Promise<T> {
  await client.query(scopeSql(tenantId));
  const out = await fn();
  await client.query(`SELECT set_config('${TENANT_SETTING}', '', true); SET LOCAL ROLE NONE`);
  return out;
}

/** The statements that scope the open transaction to one tenant; the id is written into the text, so it must be an integer. */
function scopeSql(tenantId: number): string {
  if (!Number.isSafeInteger(tenantId)) throw new TypeError(`A tenant id is an integer, not ${String(tenantId)}.`);
  return `SET LOCAL ROLE ${APP_ROLE}; SELECT set_config('${TENANT_SETTING}', '${tenantId}', true)`;
}
