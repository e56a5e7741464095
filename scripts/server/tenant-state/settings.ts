import type { Pool } from 'pg';
import type { SyncConfig, SyncConfigInput } from '../../sync/config';
import { differences, loadTenantConfig, saveTenantConfig } from './config';
import type { TenantRef } from './tenant-ref';

/** One option a save changed: its path (`engagement.weights.post_created`) with the value before and after. */
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

function valueAt(config: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
      config,
    );
}

/** The fields that differ between two configurations, each with its before and after value. */
function fieldChanges(before: SyncConfig, after: SyncConfig): FieldChanges {
  return Object.fromEntries(
    differences(before, after).map((path) => [path, { before: valueAt(before, path), after: valueAt(after, path) }]),
  );
}

/**
 * Saves a tenant's configuration as `configure --tenant` and the console do: `changes` merged into the
 * version the caller read (`expectedVersion`; a StaleConfigError naming what changed when another save
 * came first), and a changed interval carried to the tenant's schedule. Returns what changed, field by field.
 */
export async function saveTenantSettings(
  pool: Pool,
  tenant: TenantRef,
  changes: SyncConfigInput,
  expectedVersion: number,
): Promise<{ config: SyncConfig; version: number; changed: FieldChanges }> {
  const read = await loadTenantConfig(pool, tenant);
  const saved = await saveTenantConfig(pool, tenant, changes, expectedVersion);
  const changed = fieldChanges(read.config, saved.config);
  if ('intervalMinutes' in changed) {
    await pool.query('UPDATE tenant_schedules SET interval_minutes = $2, updated_at = now() WHERE tenant_id = $1', [
      tenant.id,
      saved.config.intervalMinutes,
    ]);
  }
  return { config: saved.config, version: saved.version, changed };
}
