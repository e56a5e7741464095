/**
 * What the CLI's per-community commands need in server mode beyond the server's entry: one tenant's
 * store, the tenant's registry row and schedule, and the run queue seen from a terminal (queue a run,
 * wait for a worker's result). The CLI loads this module only when --database is given.
 */
import type { Pool } from 'pg';
import type { AsyncStore } from '../../sync/store/async';
import { PgStore } from '../store';
import type { TenantRef } from '../tenant-state/tenant-ref';

/** The tenant's store on the caller's pool (closing it leaves the pool open). */
export function openTenantStore(pool: Pool, tenant: TenantRef): AsyncStore {
  return PgStore.open(pool, tenant.id, `tenant '${tenant.name}'`);
}

/** Notes the tenant's community name (the first community in its store) in the registry, for `tenants list`. */
export async function noteCommunity(pool: Pool, tenant: TenantRef, store: AsyncStore): Promise<string | null> {
  const name = (await store.changedCommunities(0, 1)).find((c) => !c.deleted)?.row.name ?? null;
  if (name !== null) await pool.query('UPDATE tenants SET community = $2 WHERE id = $1', [tenant.id, name]);
  return name;
}

/** A changed sync interval reaches the tenant's schedule (if it has one) from its next due time on. */
export async function setScheduleInterval(pool: Pool, tenant: TenantRef, minutes: number): Promise<void> {
  await pool.query('UPDATE tenant_schedules SET interval_minutes = $2, updated_at = now() WHERE tenant_id = $1', [
    tenant.id,
    minutes,
  ]);
}
