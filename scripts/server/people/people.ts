import type { Pool, PoolClient } from 'pg';
import { UsageError } from '../../sync/errors';
import type { Tenant } from '../tenants';
import { appendAudit, inTransaction } from './db';
import { OPERATOR, TENANT_ROLES, type Role } from './roles';
import { hashToken, newToken } from './tokens';

/** How long an invitation or a password link stays valid. */
export const LINK_DAYS = 7;

/** A membership as `users list` and the people page show it. */
export interface Membership {
  email: string;
  role: Role;
  /** The tenant's name; null for the operator-wide role. */
  tenant: string | null;
  since: string;
  /** True when the person has set a password (else they sign in with SSO, or have a link pending). */
  hasPassword: boolean;
}

/** Who makes a change, and from where: for the audit trail. */
export interface Actor {
  actor: string;
  ip?: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The address in the form the database keeps (trimmed, lower-cased); a malformed one is refused. */
export function normalizeEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e) || e.length > 254) {
    throw new UsageError('EMAIL_INVALID', `'${email}' is not an email address (like ana@example.com).`);
  }
  return e;
}

function checkScope(role: Role, tenant: Tenant | null): void {
  if (role === OPERATOR && tenant) {
    throw new UsageError('ROLE_NOT_PER_TENANT', 'operator is an operator-wide role: give it without --tenant.');
  }
  if (role !== OPERATOR && !tenant) {
    throw new UsageError(
      'TENANT_REQUIRED',
      `${role} is a tenant's role: give --tenant <name> (or set TIGHTKNIT_TENANT). Without a tenant the only role is operator.`,
    );
  }
}

/** The membership's scope as SQL, the tenant id (if any) being parameter `$n`. */
const scopeSql = (tenant: Tenant | null, n = 2): string => (tenant ? `tenant_id = $${n}` : 'tenant_id IS NULL');
const scopeArgs = (tenant: Tenant | null): number[] => (tenant ? [tenant.id] : []);

async function personId(c: PoolClient, email: string): Promise<number | undefined> {
  const { rows } = await c.query<{ id: string }>('SELECT id FROM people WHERE email = $1', [email]);
  return rows[0] ? Number(rows[0].id) : undefined;
}

async function currentRole(c: PoolClient, person: number, tenant: Tenant | null): Promise<Role | undefined> {
  const { rows } = await c.query<{ role: Role }>(
    `SELECT role FROM memberships WHERE person_id = $1 AND ${scopeSql(tenant)} FOR UPDATE`,
    [person, ...scopeArgs(tenant)],
  );
  return rows[0]?.role;
}

function where(tenant: Tenant | null): string {
  return tenant ? `tenant '${tenant.name}'` : 'this installation (operator-wide)';
}

/** Refuses to leave a tenant without an owner. */
async function keepAnOwner(c: PoolClient, tenant: Tenant | null, person: number): Promise<void> {
  if (!tenant) return;
  const { rows } = await c.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM memberships WHERE tenant_id = $1 AND role = 'owner' AND person_id <> $2",
    [tenant.id, person],
  );
  if (rows[0].n === 0) {
    throw new UsageError(
      'LAST_OWNER',
      `That would leave ${where(tenant)} without an owner. Make someone else owner first (users set-role <email> owner).`,
    );
  }
}

/** A one-time link for setting a password; returns the token (kept only as a hash). */
export async function issuePasswordLink(c: PoolClient, person: number): Promise<string> {
  const token = newToken();
  await c.query(
    `INSERT INTO password_links (token_hash, person_id, expires_at) VALUES ($1, $2, now() + interval '${LINK_DAYS} days')`,
    [hashToken(token), person],
  );
  return token;
}

/** Revokes every open session of a person (logout everywhere). Returns how many were open. */
export async function revokeSessions(c: PoolClient | Pool, person: number): Promise<number> {
  const r = await c.query('UPDATE sessions SET revoked_at = now() WHERE person_id = $1 AND revoked_at IS NULL', [
    person,
  ]);
  return r.rowCount ?? 0;
}

/**
 * Gives a person (created when new) a role in a tenant, or the operator-wide role. A new person also
 * gets a one-time link to set a password (`passwordToken`); an existing one keeps how they sign in.
 */
export async function addUser(
  pool: Pool,
  by: Actor,
  input: { email: string; role: Role; tenant: Tenant | null },
): Promise<{ email: string; created: boolean; passwordToken?: string }> {
  const email = normalizeEmail(input.email);
  checkScope(input.role, input.tenant);
  return inTransaction(pool, async (c) => {
    let person = await personId(c, email);
    const created = person === undefined;
    if (person === undefined) {
      person = Number(
        (await c.query<{ id: string }>('INSERT INTO people (email) VALUES ($1) RETURNING id', [email])).rows[0].id,
      );
    }
    const held = await currentRole(c, person, input.tenant);
    if (held) {
      throw new UsageError(
        'MEMBERSHIP_EXISTS',
        `${email} is already ${held} in ${where(input.tenant)}. To change it: users set-role ${email} ${input.role}.`,
      );
    }
    await c.query('INSERT INTO memberships (person_id, tenant_id, role) VALUES ($1, $2, $3)', [
      person,
      input.tenant?.id ?? null,
      input.role,
    ]);
    const hasPassword = (await c.query('SELECT 1 FROM password_credentials WHERE person_id = $1', [person])).rowCount;
    const passwordToken = hasPassword ? undefined : await issuePasswordLink(c, person);
    await appendAudit(c, [
      {
        tenantId: input.tenant?.id ?? null,
        ...by,
        action: 'people.add',
        details: { email, after: { role: input.role } },
      },
    ]);
    return { email, created, ...(passwordToken ? { passwordToken } : {}) };
  });
}

async function memberOrFail(
  c: PoolClient,
  email: string,
  tenant: Tenant | null,
): Promise<{ person: number; role: Role }> {
  const person = await personId(c, email);
  const role = person === undefined ? undefined : await currentRole(c, person, tenant);
  if (person === undefined || !role) {
    throw new UsageError('MEMBERSHIP_UNKNOWN', `${email} has no role in ${where(tenant)}. See: users list.`);
  }
  return { person, role };
}

/** Takes a person's role away (tenant or operator-wide) and ends every session they have open. */
export async function removeUser(
  pool: Pool,
  by: Actor,
  input: { email: string; tenant: Tenant | null },
): Promise<{ role: Role }> {
  const email = normalizeEmail(input.email);
  return inTransaction(pool, async (c) => {
    const { person, role } = await memberOrFail(c, email, input.tenant);
    if (role === 'owner') await keepAnOwner(c, input.tenant, person);
    await c.query(`DELETE FROM memberships WHERE person_id = $1 AND ${scopeSql(input.tenant)}`, [
      person,
      ...scopeArgs(input.tenant),
    ]);
    const sessions = await revokeSessions(c, person);
    await appendAudit(c, [
      {
        tenantId: input.tenant?.id ?? null,
        ...by,
        action: 'people.remove',
        details: { email, before: { role }, after: { role: null }, sessionsRevoked: sessions },
      },
    ]);
    return { role };
  });
}

/** Changes a person's role in a tenant; their open sessions end, so the new role applies from the next sign-in. */
export async function setRole(
  pool: Pool,
  by: Actor,
  input: { email: string; role: Role; tenant: Tenant | null },
): Promise<{ before: Role }> {
  const email = normalizeEmail(input.email);
  checkScope(input.role, input.tenant);
  return inTransaction(pool, async (c) => {
    const { person, role } = await memberOrFail(c, email, input.tenant);
    if (role === 'owner' && input.role !== 'owner') await keepAnOwner(c, input.tenant, person);
    await c.query(`UPDATE memberships SET role = $2 WHERE person_id = $1 AND ${scopeSql(input.tenant, 3)}`, [
      person,
      input.role,
      ...scopeArgs(input.tenant),
    ]);
    const sessions = role === input.role ? 0 : await revokeSessions(c, person);
    await appendAudit(c, [
      {
        tenantId: input.tenant?.id ?? null,
        ...by,
        action: 'people.set-role',
        details: { email, before: { role }, after: { role: input.role }, sessionsRevoked: sessions },
      },
    ]);
    return { before: role };
  });
}

/**
 * A one-time link for a person to set a new password (the reset an operator issues from the terminal).
 * With a tenant the person must hold a role there and the audit row is the tenant's; without one, any
 * known person, and the row is operator-wide. Returns the token (kept only as a hash).
 */
export async function passwordLinkFor(
  pool: Pool,
  by: Actor,
  input: { email: string; tenant: Tenant | null },
): Promise<{ email: string; token: string }> {
  const email = normalizeEmail(input.email);
  return inTransaction(pool, async (c) => {
    let person: number | undefined;
    if (input.tenant) person = (await memberOrFail(c, email, input.tenant)).person;
    else {
      person = await personId(c, email);
      if (person === undefined) {
        throw new UsageError(
          'PERSON_UNKNOWN',
          `${email} is not a person of this installation. Add them first: users add ${email} --role <role> --tenant <name>.`,
        );
      }
    }
    const token = await issuePasswordLink(c, person);
    await appendAudit(c, [
      { tenantId: input.tenant?.id ?? null, ...by, action: 'people.password-link', details: { email } },
    ]);
    return { email, token };
  });
}

interface MemberRow {
  email: string;
  role: Role;
  tenant: string | null;
  created_at: Date;
  has_password: boolean;
}

/** The people of a tenant, or (tenant null) every membership of the installation. */
export async function listUsers(pool: Pool, tenant: Tenant | null): Promise<Membership[]> {
  const { rows } = await pool.query<MemberRow>(
    `SELECT p.email, m.role, t.name AS tenant, m.created_at,
            EXISTS (SELECT 1 FROM password_credentials pc WHERE pc.person_id = p.id) AS has_password
       FROM memberships m JOIN people p ON p.id = m.person_id LEFT JOIN tenants t ON t.id = m.tenant_id
      WHERE ${tenant ? 'm.tenant_id = $1' : 'TRUE'}
      ORDER BY t.name NULLS FIRST, array_position($${tenant ? 2 : 1}::text[], m.role), p.email`,
    [...scopeArgs(tenant), [OPERATOR, ...TENANT_ROLES]],
  );
  return rows.map((r) => ({
    email: r.email,
    role: r.role,
    tenant: r.tenant,
    since: r.created_at.toISOString(),
    hasPassword: r.has_password,
  }));
}
