import type { Pool, PoolClient } from 'pg';
import { UsageError } from '../sync/errors';
import { withTenant } from './db/tenant-scope';
import { inTransaction } from './db/transaction';
import type { MasterKeys } from './secrets/master-key';
import { createDataKey } from './secrets/tenant-keys';

export type TenantStatus = 'active' | 'paused' | 'removed';

/** A row of the tenant registry. */
export interface Tenant {
  id: number;
  name: string;
  status: TenantStatus;
  createdAt: string;
  /** The community's name once ingested or connected; null before. */
  community: string | null;
  /** The org id once connected; null before. */
  org: string | null;
}

/** A tenant as `tenants list` shows it. */
export interface TenantSummary extends Tenant {
  lastRun: { id: number; type: string; status: string; startedAt: string; finishedAt: string | null } | null;
  /** Seconds since the last successful run (by a worker) began; null until one succeeded, or once removed. */
  lagSeconds: number | null;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

interface TenantRow {
  id: string;
  name: string;
  status: TenantStatus;
  created_at: Date;
  community: string | null;
  org: string | null;
}

const COLUMNS = 'id, name, status, created_at, community, org';

function toTenant(r: TenantRow): Tenant {
  return {
    id: Number(r.id),
    name: r.name,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    community: r.community,
    org: r.org,
  };
}

/** Refuses a name that is not 1–63 lower-case letters, digits or hyphens (it appears in URLs and logs). */
function checkTenantName(name: string): void {
  if (!NAME.test(name)) {
    throw new UsageError(
      'TENANT_NAME_INVALID',
      `'${name}' is not a tenant name: use 1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit (e.g. acme-community).`,
    );
  }
}

/** Every tenant, removed ones included, by name. */
async function allTenants(pool: Pool): Promise<Tenant[]> {
  const { rows } = await pool.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants ORDER BY name`);
  return rows.map(toTenant);
}

/** The tenant called `name`; an unknown name is an error that lists the tenants there are. */
export async function findTenant(pool: Pool, name: string): Promise<Tenant> {
  const { rows } = await pool.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE name = $1`, [name]);
  if (rows[0]) return toTenant(rows[0]);
  const names = (await allTenants(pool)).map((t) => t.name);
  throw new UsageError(
    'TENANT_UNKNOWN',
    names.length === 0
      ? `There is no tenant '${name}': this database has no tenants yet. Add one with \`tightknit-sync tenants add ${name}\`.`
      : `There is no tenant '${name}'. Tenants: ${names.join(', ')}.`,
  );
}

/** The tenant called `name` unless it was removed; undefined otherwise (a console route names no tenant then). */
export async function liveTenant(pool: Pool, name: string): Promise<Tenant | undefined> {
  const { rows } = await pool.query<TenantRow>(
    `SELECT ${COLUMNS} FROM tenants WHERE name = $1 AND status <> 'removed'`,
    [name],
  );
  return rows[0] ? toTenant(rows[0]) : undefined;
}

/**
 * Registers a tenant with its own data key. A removed tenant of that name (data kept) is brought back;
 * an active one is an error. `community` names the community (for the tenant list) until its first
 * ingest reads the name from the community itself.
 */
export async function addTenant(
  pool: Pool,
  keys: MasterKeys,
  name: string,
  community?: string,
): Promise<{ tenant: Tenant; restored: boolean }> {
  checkTenantName(name);
  const label = community?.trim() || null;
  if (label !== null && label.length > 200) {
    throw new UsageError('COMMUNITY_NAME_TOO_LONG', 'The community name is over 200 characters: shorten it.');
  }
  try {
    return await inTransaction(pool, (client) => registerTenant(client, keys, name, label));
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new UsageError('TENANT_EXISTS', `Tenant '${name}' exists already. Pick another name.`, { cause: err });
    }
    throw err;
  }
}

/** addTenant's transaction: brings back a removed tenant of that name, or inserts one with its data key. */
async function registerTenant(
  client: PoolClient,
  keys: MasterKeys,
  name: string,
  community: string | null,
): Promise<{ tenant: Tenant; restored: boolean }> {
  const existing = await client.query<TenantRow>(`SELECT ${COLUMNS} FROM tenants WHERE name = $1 FOR UPDATE`, [name]);
  if (existing.rows[0] && existing.rows[0].status !== 'removed') {
    throw new UsageError(
      'TENANT_EXISTS',
      `Tenant '${name}' exists already (${existing.rows[0].status}). Pick another name.`,
    );
  }
  let row: TenantRow;
  if (existing.rows[0]) {
    row = (
      await client.query<TenantRow>(
        `UPDATE tenants SET status = 'active', removed_at = NULL, community = COALESCE($2, community)
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [existing.rows[0].id, community],
      )
    ).rows[0];
  } else {
    row = (
      await client.query<TenantRow>(`INSERT INTO tenants (name, community) VALUES ($1, $2) RETURNING ${COLUMNS}`, [
        name,
        community,
      ])
    ).rows[0];
    await createDataKey(client, Number(row.id), keys);
  }
  return { tenant: toTenant(row), restored: existing.rows[0] !== undefined };
}

interface RunRow {
  id: string;
  type: string;
  status: string;
  started_at: Date;
  finished_at: Date | null;
}

/**
 * Seconds each tenant's org is behind: since the start of its last successful run as the workers
 * recorded it. A tenant no worker has synced yet has none (null).
 */
export async function lagSeconds(pool: Pool, tenantIds: number[]): Promise<Map<number, number>> {
  const { rows } = await pool.query<{ id: string; lag: number }>(
    `SELECT tenant_id AS id, greatest(0, extract(epoch FROM now() - max(started_at)))::float8 AS lag
       FROM run_attempts WHERE tenant_id = ANY($1::bigint[]) AND status IN ('Succeeded', 'PartiallyFailed')
      GROUP BY tenant_id`,
    [tenantIds],
  );
  return new Map(rows.map((r) => [Number(r.id), Math.round(r.lag)]));
}

/** The registry with each tenant's latest run (read inside the tenant's own scope) and its lag. */
export async function listTenants(pool: Pool): Promise<TenantSummary[]> {
  const tenants = await allTenants(pool);
  const lags = await lagSeconds(
    pool,
    tenants.filter((t) => t.status !== 'removed').map((t) => t.id),
  );
  const out: TenantSummary[] = [];
  for (const t of tenants) {
    const run = await withTenant(
      pool,
      t.id,
      async (c) =>
        (
          await c.query<RunRow>(
            'SELECT id, type, status, started_at, finished_at FROM ledger_runs ORDER BY id DESC LIMIT 1',
          )
        ).rows[0],
    );
    out.push({
      ...t,
      lastRun: run
        ? {
            id: Number(run.id),
            type: run.type,
            status: run.status,
            startedAt: run.started_at.toISOString(),
            finishedAt: run.finished_at?.toISOString() ?? null,
          }
        : null,
      lagSeconds: lags.get(t.id) ?? null,
    });
  }
  return out;
}

/**
 * Takes a tenant out of service. Without `deleteData` its rows are kept (status removed; `tenants add`
 * brings it back); with it, the tenant and every row it owns are deleted in one transaction.
 */
export async function removeTenant(pool: Pool, name: string, deleteData: boolean): Promise<Tenant> {
  const tenant = await findTenant(pool, name);
  if (deleteData) {
    // One statement removes the tenant's rows from every table: a table that references tenants(id) by
    // ON DELETE CASCADE (referential actions are not subject to row-level security), the ones that grow
    // with the community by the tenants trigger (migration 0071).
    await pool.query('DELETE FROM tenants WHERE id = $1', [tenant.id]);
    return { ...tenant, status: 'removed' };
  }
  const { rows } = await pool.query<TenantRow>(
    `UPDATE tenants SET status = 'removed', removed_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [tenant.id],
  );
  return toTenant(rows[0]);
}
