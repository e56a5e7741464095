import type { Pool, PoolClient } from 'pg';
import { mergeConfig, parseConfig, type SyncConfig, type SyncConfigInput } from '../../sync/config';
import { UsageError } from '../../sync/errors';
import { withTenant } from '../db/tenant-scope';
import type { TenantRef } from './tenant-ref';

/** A tenant's configuration and the version it was read at (0: never saved, the defaults). */
export interface VersionedConfig {
  config: SyncConfig;
  version: number;
}

/**
 * A save made from a version that is no longer the newest: someone else saved in between. `changed` names
 * every option (as a path, `engagement.weights.post_created`) that differs between the two versions, so a
 * form can show what to look at before applying its changes again.
 */
export class StaleConfigError extends UsageError {
  constructor(
    tenant: TenantRef,
    readonly expectedVersion: number,
    readonly currentVersion: number,
    readonly changed: string[],
  ) {
    super(
      'CONFIG_CHANGED',
      expectedVersion > currentVersion
        ? `Tenant '${tenant.name}' has no configuration version ${expectedVersion} (the newest is ${currentVersion}).`
        : `The configuration of tenant '${tenant.name}' changed since version ${expectedVersion} (now version ${currentVersion}): ${changed.join(', ') || 'no option differs'}.`,
      { actions: [`Read the configuration again (version ${currentVersion}) and apply your changes to it.`] },
    );
  }
}

const source = (tenant: TenantRef, version: number): string =>
  version === 0
    ? `the defaults of tenant '${tenant.name}'`
    : `configuration version ${version} of tenant '${tenant.name}'`;

async function versionAt(c: PoolClient, tenant: TenantRef, version?: number): Promise<VersionedConfig> {
  const { rows } = await c.query<{ version: number; config: unknown }>(
    version === undefined
      ? 'SELECT version, config FROM tenant_configs ORDER BY version DESC LIMIT 1'
      : 'SELECT version, config FROM tenant_configs WHERE version = $1',
    version === undefined ? [] : [version],
  );
  const found = rows[0] ?? { version: 0, config: {} };
  return { version: found.version, config: parseConfig(found.config, source(tenant, found.version)) };
}

/** Every leaf path where two configurations differ. */
export function differences(a: unknown, b: unknown, at: string[] = []): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differences(a[k], b[k], [...at, k]));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at.join('.')];
}

/** The tenant's configuration in force (validated as config.ts validates config.json) and its version. */
export async function loadTenantConfig(pool: Pool, tenant: TenantRef): Promise<VersionedConfig> {
  return withTenant(pool, tenant.id, (c) => versionAt(c, tenant));
}

async function staleError(pool: Pool, tenant: TenantRef, expectedVersion: number): Promise<StaleConfigError> {
  return withTenant(pool, tenant.id, async (c) => {
    const current = await versionAt(c, tenant);
    if (expectedVersion > current.version) return new StaleConfigError(tenant, expectedVersion, current.version, []);
    const seen = await versionAt(c, tenant, expectedVersion);
    return new StaleConfigError(tenant, expectedVersion, current.version, differences(seen.config, current.config));
  });
}

/**
 * Merges `changes` into the configuration of version `expectedVersion` (the one the caller read), validates
 * the result exactly as `configure` does, and stores it as the next version. When another save came first
 * the save is refused with a StaleConfigError naming what changed; nothing is written.
 */
export async function saveTenantConfig(
  pool: Pool,
  tenant: TenantRef,
  changes: SyncConfigInput,
  expectedVersion: number,
): Promise<VersionedConfig> {
  let saved: VersionedConfig | undefined;
  try {
    saved = await withTenant(pool, tenant.id, async (c) => {
      const current = await versionAt(c, tenant);
      if (current.version !== expectedVersion) return undefined;
      const next = { config: mergeConfig(current.config, changes), version: expectedVersion + 1 };
      await writeConfigVersion(c, next);
      return next;
    });
  } catch (err) {
    // Two saves from the same version at once: the second one's insert meets the first one's row.
    if ((err as { code?: string }).code !== '23505') throw err;
  }
  if (!saved) throw await staleError(pool, tenant, expectedVersion);
  return saved;
}

/** Stores one version inside a tenant transaction the caller holds (migrate-state writes version 1). */
export async function writeConfigVersion(c: PoolClient, v: VersionedConfig): Promise<void> {
  await c.query('INSERT INTO tenant_configs (version, config) VALUES ($1, $2)', [v.version, JSON.stringify(v.config)]);
}
