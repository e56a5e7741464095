import type { Pool, PoolClient } from 'pg';
import { appendAudit, inTransaction } from './db';
import { LINK_DAYS, normalizeEmail, type Actor } from './people';
import type { TenantRole } from './roles';
import { hashToken, newToken } from './tokens';

/** An invitation as the people page lists it (never its token). */
export interface InvitationView {
  email: string;
  role: TenantRole;
  invitedBy: string;
  expiresAt: string;
  acceptedAt: string | null;
}

/** An invitation that cannot be accepted, with the reason shown to the person who followed the link. */
export class InvitationRefused extends Error {}

/** Invites an email to a tenant with a role: a one-time token, valid LINK_DAYS days. */
export async function invite(
  pool: Pool,
  by: Actor,
  input: { tenantId: number; email: string; role: TenantRole },
): Promise<string> {
  const email = normalizeEmail(input.email);
  const token = newToken();
  await inTransaction(pool, async (c) => {
    await c.query(
      `INSERT INTO invitations (token_hash, tenant_id, email, role, invited_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + interval '${LINK_DAYS} days')`,
      [hashToken(token), input.tenantId, email, input.role, by.actor],
    );
    await appendAudit(c, [
      { tenantId: input.tenantId, ...by, action: 'invitation.create', details: { email, role: input.role } },
    ]);
  });
  return token;
}

/** The open and accepted invitations of a tenant, newest first. */
export async function listInvitations(pool: Pool, tenantId: number): Promise<InvitationView[]> {
  const { rows } = await pool.query<{
    email: string;
    role: TenantRole;
    invited_by: string;
    expires_at: Date;
    accepted_at: Date | null;
  }>(
    `SELECT email, role, invited_by, expires_at, accepted_at FROM invitations
      WHERE tenant_id = $1 AND revoked_at IS NULL ORDER BY id DESC LIMIT 100`,
    [tenantId],
  );
  return rows.map((r) => ({
    email: r.email,
    role: r.role,
    invitedBy: r.invited_by,
    expiresAt: r.expires_at.toISOString(),
    acceptedAt: r.accepted_at?.toISOString() ?? null,
  }));
}

interface Open {
  id: number;
  tenantId: number;
  tenantName: string;
  email: string;
  role: TenantRole;
  problem?: string;
}

/** The invitation a token names, locked for the transaction, with what is wrong with it (if anything). */
async function find(c: PoolClient, tokenHash: string): Promise<Open | undefined> {
  const { rows } = await c.query<{
    id: string;
    tenant_id: string;
    name: string;
    email: string;
    role: TenantRole;
    expired: boolean;
    accepted: boolean;
    revoked: boolean;
  }>(
    `SELECT i.id, i.tenant_id, t.name, i.email, i.role, i.expires_at <= now() AS expired,
            i.accepted_at IS NOT NULL AS accepted, i.revoked_at IS NOT NULL AS revoked
       FROM invitations i JOIN tenants t ON t.id = i.tenant_id WHERE i.token_hash = $1 FOR UPDATE OF i`,
    [tokenHash],
  );
  const r = rows[0];
  if (!r) return undefined;
  const problem = r.accepted
    ? 'it was accepted already'
    : r.revoked
      ? 'it was withdrawn'
      : r.expired
        ? `it has expired (invitations are valid ${LINK_DAYS} days)`
        : undefined;
  return {
    id: Number(r.id),
    tenantId: Number(r.tenant_id),
    tenantName: r.name,
    email: r.email,
    role: r.role,
    ...(problem ? { problem } : {}),
  };
}

/** Who an invitation is for, for its page; refused (and audited) when it cannot be accepted. */
export async function peekInvitation(
  pool: Pool,
  token: string,
  ip: string,
): Promise<{ email: string; tenant: string; role: TenantRole }> {
  const found = await inTransaction(pool, async (c) => {
    const inv = await find(c, hashToken(token));
    if (!inv || inv.problem) await refuse(c, inv, ip, 'opened');
    return inv;
  });
  if (!found || found.problem) throw refusal(found);
  return { email: found.email, tenant: found.tenantName, role: found.role };
}

function refusal(inv: Open | undefined): InvitationRefused {
  return new InvitationRefused(
    inv?.problem
      ? `This invitation cannot be used: ${inv.problem}. Ask an admin of ${inv.tenantName} for a new one.`
      : 'This invitation link is not valid (mistyped or tampered with). Ask the person who invited you for a new one.',
  );
}

async function refuse(
  c: PoolClient,
  inv: Open | undefined,
  ip: string,
  step: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await appendAudit(c, [
    {
      tenantId: inv?.tenantId ?? null,
      actor: (extra.signedInAs as string | undefined) ?? 'anonymous',
      action: 'invitation.refused',
      ip,
      details: {
        step,
        reason: inv?.problem ?? (inv ? 'email differs' : 'unknown token'),
        ...(inv ? { invited: inv.email } : {}),
        ...extra,
      },
    },
  ]);
}

/**
 * Accepts an invitation for a person whose sign-in verified `verifiedEmail` (an identity provider's
 * verified email claim, or the password of the invited address). A different email is refused; the
 * refusal is in the audit trail and nothing changes. Returns the person's id.
 */
export async function acceptInvitation(
  pool: Pool,
  token: string,
  verifiedEmail: string,
  ip: string,
): Promise<{ personId: number; tenantId: number }> {
  return acceptInvitationByHash(pool, hashToken(token), verifiedEmail, ip);
}

/** acceptInvitation for a token known by its hash (the single sign-on callback keeps only the hash). */
export async function acceptInvitationByHash(
  pool: Pool,
  tokenHash: string,
  verifiedEmail: string,
  ip: string,
): Promise<{ personId: number; tenantId: number }> {
  const email = verifiedEmail.trim().toLowerCase();
  const outcome = await inTransaction(pool, async (c) => {
    const inv = await find(c, tokenHash);
    if (!inv || inv.problem || inv.email !== email) {
      await refuse(c, inv, ip, 'accept', { signedInAs: email });
      if (inv && !inv.problem) {
        return new InvitationRefused(
          `This invitation is for ${inv.email}, but you signed in as ${email}. Sign in with the invited address, or ask for an invitation to ${email}.`,
        );
      }
      return refusal(inv);
    }
    const person = Number(
      (
        await c.query<{ id: string }>(
          'INSERT INTO people (email) VALUES ($1) ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id',
          [email],
        )
      ).rows[0].id,
    );
    const before =
      (
        await c.query<{ role: string }>('SELECT role FROM memberships WHERE person_id = $1 AND tenant_id = $2', [
          person,
          inv.tenantId,
        ])
      ).rows[0]?.role ?? null;
    await c.query(
      `INSERT INTO memberships (person_id, tenant_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (person_id, COALESCE(tenant_id, 0)) DO UPDATE SET role = EXCLUDED.role`,
      [person, inv.tenantId, inv.role],
    );
    await c.query('UPDATE invitations SET accepted_at = now() WHERE id = $1', [inv.id]);
    await appendAudit(c, [
      {
        tenantId: inv.tenantId,
        actor: email,
        action: 'invitation.accept',
        ip,
        details: { email, before: { role: before }, after: { role: inv.role } },
      },
    ]);
    return { personId: person, tenantId: inv.tenantId };
  });
  if (outcome instanceof InvitationRefused) throw outcome;
  return outcome;
}
