import type { Pool } from 'pg';
import { withTenant } from '../db/tenant-scope';
import type { TenantStatus } from '../tenants';

/**
 * What the connect routes write outside the tenant's own rows: the registry's Slack workspace and org
 * columns (operator tables, so through the pool as tenants.ts does). The credentials themselves are
 * stored through tenant-state/credentials.ts, the one layout every reader (the pass, the CLI) knows.
 */

/** Why a workspace could not be bound to a tenant. */
export type BindRefusal =
  | { reason: 'workspace-taken'; tenantName: string }
  | { reason: 'tenant-has-another'; teamName: string; teamId: string };

/**
 * Binds Slack workspace `team` to the tenant, unless another tenant has it (the unique index decides
 * between two concurrent installs) or the tenant has another workspace (disconnect that first). The
 * workspace's name becomes the tenant's community name when it has none yet.
 */
export async function bindSlackTeam(
  pool: Pool,
  tenantId: number,
  team: { id: string; name: string },
): Promise<BindRefusal | undefined> {
  const owner = async (): Promise<BindRefusal | undefined> => {
    const { rows } = await pool.query<{ name: string }>(
      'SELECT name FROM tenants WHERE slack_team_id = $1 AND id <> $2',
      [team.id, tenantId],
    );
    return rows[0] ? { reason: 'workspace-taken', tenantName: rows[0].name } : undefined;
  };
  const taken = await owner();
  if (taken) return taken;
  const another = async (): Promise<BindRefusal | undefined> => {
    const { rows } = await pool.query<{ slack_team_id: string | null; slack_team_name: string | null }>(
      'SELECT slack_team_id, slack_team_name FROM tenants WHERE id = $1',
      [tenantId],
    );
    const current = rows[0];
    return current?.slack_team_id && current.slack_team_id !== team.id
      ? { reason: 'tenant-has-another', teamId: current.slack_team_id, teamName: current.slack_team_name ?? '' }
      : undefined;
  };
  const other = await another();
  if (other) return other;
  let updated: number;
  try {
    const r = await pool.query(
      `UPDATE tenants SET slack_team_id = $2, slack_team_name = $3, community = COALESCE(community, $3)
       WHERE id = $1 AND (slack_team_id IS NULL OR slack_team_id = $2)`,
      [tenantId, team.id, team.name],
    );
    updated = r.rowCount ?? 0;
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      return (await owner()) ?? { reason: 'workspace-taken', tenantName: '?' };
    throw err;
  }
  // No row: another install bound this tenant to another workspace in the meantime.
  if (updated === 0) return (await another()) ?? { reason: 'tenant-has-another', teamId: '?', teamName: '?' };
  return undefined;
}

export async function unbindSlackTeam(pool: Pool, tenantId: number): Promise<void> {
  await pool.query('UPDATE tenants SET slack_team_id = NULL, slack_team_name = NULL WHERE id = $1', [tenantId]);
}

/** The tenant a workspace's events belong to; undefined when no tenant has installed it. */
export async function tenantOfTeam(
  pool: Pool,
  teamId: string,
): Promise<{ id: number; name: string; status: TenantStatus } | undefined> {
  const { rows } = await pool.query<{ id: string; name: string; status: TenantStatus }>(
    'SELECT id, name, status FROM tenants WHERE slack_team_id = $1',
    [teamId],
  );
  return rows[0] ? { id: Number(rows[0].id), name: rows[0].name, status: rows[0].status } : undefined;
}

export async function setTenantOrg(pool: Pool, tenantId: number, orgId: string | null): Promise<void> {
  await pool.query('UPDATE tenants SET org = $2 WHERE id = $1', [tenantId, orgId]);
}

/** Forgets a secret of the tenant; false when there was none. */
export async function deleteSecret(pool: Pool, tenantId: number, name: string): Promise<boolean> {
  const r = await withTenant(pool, tenantId, (c) => c.query('DELETE FROM tenant_secrets WHERE name = $1', [name]));
  return (r.rowCount ?? 0) > 0;
}
