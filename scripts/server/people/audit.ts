import type { Pool } from 'pg';
import { UsageError } from '../../sync/errors';
import { withTenant } from '../db/tenant-scope';

/** A row of the audit trail as the CLI and the console show it. */
export interface AuditRow {
  id: number;
  at: string;
  /** The tenant's name; null for operator-wide entries. */
  tenant: string | null;
  actor: string;
  action: string;
  details: Record<string, unknown>;
  ip: string | null;
}

/** Filters of `audit` and `GET /api/audit`. */
export interface AuditFilter {
  since?: Date;
  actor?: string;
  action?: string;
  limit?: number;
}

/** A `--since` / `?since=` value: an ISO date or time, or a duration back from now (30m, 12h, 7d). */
export function parseSince(value: string, now = Date.now()): Date {
  const ago = /^(\d+)([mhd])$/.exec(value.trim());
  if (ago) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[ago[2] as 'm' | 'h' | 'd'];
    return new Date(now - Number(ago[1]) * unit);
  }
  const at = new Date(value);
  if (value.trim() === '' || Number.isNaN(at.getTime())) {
    throw new UsageError(
      'SINCE_INVALID',
      `'${value}' is not a time: give an ISO date or time (2026-12-01, 2026-12-01T08:00Z) or a duration back from now (30m, 12h, 7d).`,
    );
  }
  return at;
}

interface Row {
  id: string;
  at: Date;
  tenant: string | null;
  actor: string;
  action: string;
  details: Record<string, unknown>;
  ip: string | null;
}

function query(filter: AuditFilter, scoped: boolean): { sql: string; args: unknown[] } {
  const args: unknown[] = [];
  const where: string[] = [];
  if (filter.since) where.push(`a.at >= $${args.push(filter.since)}`);
  if (filter.actor) where.push(`a.actor = $${args.push(filter.actor)}`);
  if (filter.action) where.push(`a.action = $${args.push(filter.action)}`);
  const limit = Math.min(Math.max(filter.limit ?? 200, 1), 1000);
  // Inside a tenant's scope the application role reads the trail (row-level security keeps it to that
  // tenant) and may not read the tenant registry: the caller knows the tenant's name.
  const tenant = scoped ? 'NULL::text' : 't.name';
  const join = scoped ? '' : 'LEFT JOIN tenants t ON t.id = a.tenant_id';
  return {
    sql: `SELECT a.id, a.at, ${tenant} AS tenant, a.actor, a.action, a.details, a.ip FROM audit_events a ${join}
           ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC LIMIT ${limit}`,
    args,
  };
}

const toRow = (r: Row, tenant?: string): AuditRow => ({
  id: Number(r.id),
  at: r.at.toISOString(),
  tenant: tenant ?? r.tenant,
  actor: r.actor,
  action: r.action,
  details: r.details,
  ip: r.ip,
});

/**
 * The newest entries first. With a tenant: read as the application role in that tenant's scope, so
 * only its rows can come back. Without: the whole trail, operator-wide entries included (the operator's view).
 */
export async function listAudit(
  pool: Pool,
  tenant: { id: number; name: string } | null,
  filter: AuditFilter = {},
): Promise<AuditRow[]> {
  if (!tenant) {
    const { sql, args } = query(filter, false);
    return (await pool.query<Row>(sql, args)).rows.map((r) => toRow(r));
  }
  const { sql, args } = query(filter, true);
  return withTenant(pool, tenant.id, async (c) =>
    (await c.query<Row>(sql, args)).rows.map((r) => toRow(r, tenant.name)),
  );
}
