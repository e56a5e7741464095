import type { Pool } from 'pg';
import { OPERATOR, type TenantRole } from './roles';
import type { SessionRules } from './settings';
import { hashToken, newToken } from './tokens';

/** A tenant a person belongs to, with their role there. */
interface TenantMembership {
  id: number;
  name: string;
  role: TenantRole;
}

/** A signed-in person as a request sees them. */
export interface Principal {
  personId: number;
  email: string;
  /** The tenant this session acts in, with the person's role there; null when they have none. */
  tenant: TenantMembership | null;
  /** Every tenant they belong to (for the tenant switcher). */
  tenants: TenantMembership[];
  operator: boolean;
  csrfToken: string;
  /** The session's id hash (never the cookie's value). */
  sessionHash: string;
}

/**
 * Starts a session in `tenantId` (an invitation's tenant) or else the person's first tenant by name.
 * Returns the cookie's value.
 */
export async function createSession(
  pool: Pool,
  personId: number,
  rules: SessionRules,
  tenantId?: number,
): Promise<string> {
  const token = newToken();
  await pool.query(
    `INSERT INTO sessions (id_hash, person_id, tenant_id, csrf_token, expires_at)
     VALUES ($1, $2, COALESCE($5::bigint, (SELECT m.tenant_id FROM memberships m JOIN tenants t ON t.id = m.tenant_id
                       WHERE m.person_id = $2 AND t.status <> 'removed' ORDER BY t.name LIMIT 1)),
             $3, now() + make_interval(secs => $4::double precision / 1000))`,
    [hashToken(token), personId, newToken(), rules.absoluteMs, tenantId ?? null],
  );
  return token;
}

interface SessionRow {
  id_hash: string;
  person_id: string;
  email: string;
  tenant_id: string | null;
  csrf_token: string;
}

/**
 * The principal of a session cookie, or undefined when the session is unknown, revoked, idle for longer
 * than the idle timeout or past its absolute lifetime. Roles are read fresh on every request, so a role
 * change applies at once (and removal also revokes the session).
 */
export async function loadSession(pool: Pool, token: string, rules: SessionRules): Promise<Principal | undefined> {
  const { rows } = await pool.query<SessionRow>(
    `UPDATE sessions s SET last_seen_at = now() FROM people p
      WHERE s.id_hash = $1 AND p.id = s.person_id AND s.revoked_at IS NULL AND s.expires_at > now()
        AND s.last_seen_at > now() - make_interval(secs => $2::double precision / 1000)
      RETURNING s.id_hash, s.person_id, p.email, s.tenant_id, s.csrf_token`,
    [hashToken(token), rules.idleMs],
  );
  const s = rows[0];
  if (!s) return undefined;
  const { rows: m } = await pool.query<{
    tenant_id: string | null;
    name: string | null;
    role: TenantRole | typeof OPERATOR;
  }>(
    `SELECT m.tenant_id, t.name, m.role FROM memberships m LEFT JOIN tenants t ON t.id = m.tenant_id
      WHERE m.person_id = $1 AND (t.id IS NULL OR t.status <> 'removed') ORDER BY t.name NULLS FIRST`,
    [s.person_id],
  );
  const tenants = m
    .filter((r) => r.tenant_id !== null)
    .map((r) => ({ id: Number(r.tenant_id), name: r.name!, role: r.role as TenantRole }));
  return {
    personId: Number(s.person_id),
    email: s.email,
    tenant: tenants.find((t) => String(t.id) === s.tenant_id) ?? null,
    tenants,
    operator: m.some((r) => r.role === OPERATOR),
    csrfToken: s.csrf_token,
    sessionHash: s.id_hash,
  };
}

/** Ends one session (sign out). */
export async function endSession(pool: Pool, sessionHash: string): Promise<void> {
  await pool.query('UPDATE sessions SET revoked_at = now() WHERE id_hash = $1 AND revoked_at IS NULL', [sessionHash]);
}

/** Moves a session to another tenant of the same person. */
export async function switchTenant(pool: Pool, sessionHash: string, tenantId: number): Promise<void> {
  await pool.query('UPDATE sessions SET tenant_id = $2 WHERE id_hash = $1', [sessionHash, tenantId]);
}
