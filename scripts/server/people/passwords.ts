import { hash, verify } from '@node-rs/argon2';
import type { Pool, PoolClient } from 'pg';
import { isCommonPassword } from './common-passwords';
import { appendAudit, inTransaction, type AuditEntry } from './db';
import { revokeSessions } from './people';
import { hashToken } from './tokens';

const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;
/** Consecutive failures on one account before it is locked, and for how long. */
const LOCK_AFTER = 5;
const LOCK_MINUTES = 15;
/** Failures from one address within the window before that address must wait. */
const IP_LIMIT = 20;
const IP_WINDOW_MINUTES = 15;

/** A refusal the sign-in page shows as it is (never says whether the account exists). */
export class SignInRefused extends Error {
  constructor(
    readonly code: 'SIGN_IN_FAILED' | 'ACCOUNT_LOCKED' | 'RATE_LIMITED' | 'PASSWORD_WEAK' | 'LINK_INVALID',
    message: string,
  ) {
    super(message);
  }
}

/** Why a new password is not acceptable, or undefined when it is. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (isCommonPassword(password)) {
    return 'That password is on the list of common, breached passwords. Pick another (a few unrelated words work well).';
  }
  return undefined;
}

// Verified against when the account does not exist, so that a wrong email costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;

/** The person's id, email and tenants, for the audit trail of a sign-in attempt. */
interface Account {
  id: number;
  email: string;
  hash: string | null;
  lockedUntil: Date | null;
  tenants: number[];
  /** Holds any role (a tenant's or operator): without one a correct password still opens nothing. */
  hasRole: boolean;
}

async function account(c: PoolClient, email: string): Promise<Account | undefined> {
  const { rows } = await c.query<{
    id: string;
    hash: string | null;
    locked_until: Date | null;
    tenants: string[];
    has_role: boolean;
  }>(
    `SELECT p.id, pc.hash, pc.locked_until, EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id) AS has_role,
            ARRAY(SELECT tenant_id::text FROM memberships m WHERE m.person_id = p.id AND tenant_id IS NOT NULL) AS tenants
       FROM people p LEFT JOIN password_credentials pc ON pc.person_id = p.id WHERE p.email = $1 FOR UPDATE OF p`,
    [email],
  );
  const r = rows[0];
  return r
    ? {
        id: Number(r.id),
        email,
        hash: r.hash,
        lockedUntil: r.locked_until,
        tenants: r.tenants.map(Number),
        hasRole: r.has_role,
      }
    : undefined;
}

/** One audit entry per tenant the person belongs to (their admins see it), or one operator-wide. */
function entries(tenants: number[], base: Omit<AuditEntry, 'tenantId'>): AuditEntry[] {
  return (tenants.length ? tenants : [null]).map((tenantId) => ({ tenantId, ...base }));
}

async function tooManyFromAddress(c: PoolClient, ip: string): Promise<boolean> {
  const { rows } = await c.query<{ n: number }>(
    // One failure writes a row per tenant of the person, in one transaction (one now()): count attempts, not rows.
    `SELECT count(DISTINCT at)::int AS n FROM audit_events
      WHERE ip = $1 AND action = 'signin.failed' AND at > now() - interval '${IP_WINDOW_MINUTES} minutes'`,
    [ip],
  );
  return rows[0].n >= IP_LIMIT;
}

/**
 * Checks an email and password. Success returns the person's id and resets the failure count; a failure
 * counts towards the account's lock and the address's limit, and is written to the audit trail. A person
 * with no role is refused too, unless `forInvitation` (they are about to get one).
 */
export async function passwordSignIn(
  pool: Pool,
  email: string,
  password: string,
  ip: string,
  forInvitation = false,
): Promise<number> {
  const addr = email.trim().toLowerCase();
  const outcome = await inTransaction(pool, async (c) => {
    if (await tooManyFromAddress(c, ip)) {
      await appendAudit(c, [{ tenantId: null, actor: addr, action: 'signin.rate-limited', ip }]);
      return new SignInRefused(
        'RATE_LIMITED',
        `Too many failed sign-ins from your address. Wait ${IP_WINDOW_MINUTES} minutes and try again.`,
      );
    }
    const acc = await account(c, addr);
    if (acc?.lockedUntil && acc.lockedUntil.getTime() > Date.now()) {
      await appendAudit(c, entries(acc.tenants, { actor: addr, action: 'signin.locked', ip }));
      return new SignInRefused(
        'ACCOUNT_LOCKED',
        `This account is locked after ${LOCK_AFTER} failed sign-ins. Try again after ${acc.lockedUntil.toISOString()}, or ask an admin for a password link.`,
      );
    }
    dummyHash ??= hash('not a password of anyone');
    const ok = await verify(acc?.hash ?? (await dummyHash), password);
    if (ok && acc?.hash) {
      await c.query('UPDATE password_credentials SET failed_count = 0, locked_until = NULL WHERE person_id = $1', [
        acc.id,
      ]);
      if (acc.hasRole || forInvitation) return acc.id;
      await appendAudit(
        c,
        entries([], { actor: addr, action: 'signin.failed', ip, details: { reason: 'no role here' } }),
      );
      return new SignInRefused(
        'SIGN_IN_FAILED',
        'This account has no role here any more. Ask an admin for an invitation.',
      );
    }
    let locked = false;
    if (acc?.hash) {
      const { rows } = await c.query<{ failed_count: number }>(
        `UPDATE password_credentials SET failed_count = failed_count + 1,
                locked_until = CASE WHEN failed_count + 1 >= ${LOCK_AFTER} THEN now() + interval '${LOCK_MINUTES} minutes' END
          WHERE person_id = $1 RETURNING failed_count`,
        [acc.id],
      );
      locked = rows[0].failed_count >= LOCK_AFTER;
      if (locked) await c.query('UPDATE password_credentials SET failed_count = 0 WHERE person_id = $1', [acc.id]);
    }
    const reason = !acc ? 'unknown email' : !acc.hash ? 'no password set' : 'wrong password';
    await appendAudit(
      c,
      entries(acc?.tenants ?? [], { actor: addr, action: 'signin.failed', ip, details: { reason, locked } }),
    );
    return new SignInRefused('SIGN_IN_FAILED', 'That email and password do not match an account here.');
  });
  if (outcome instanceof SignInRefused) throw outcome;
  return outcome;
}

/**
 * Sets a password through a one-time link (the first user's, or an admin-issued reset). The link is
 * spent, the account unlocked, and the person's open sessions end. Returns the person's id.
 */
export async function setPasswordWithLink(pool: Pool, token: string, password: string, ip: string): Promise<number> {
  const problem = passwordProblem(password);
  if (problem) throw new SignInRefused('PASSWORD_WEAK', problem);
  const hashed = await hash(password);
  const outcome = await inTransaction(pool, async (c) => {
    const { rows } = await c.query<{ person_id: string; email: string; live: boolean }>(
      `SELECT l.person_id, p.email, (l.used_at IS NULL AND l.expires_at > now()) AS live
         FROM password_links l JOIN people p ON p.id = l.person_id WHERE l.token_hash = $1 FOR UPDATE OF l`,
      [hashToken(token)],
    );
    const link = rows[0];
    if (!link?.live) {
      await appendAudit(c, [
        {
          tenantId: null,
          actor: link?.email ?? 'unknown',
          action: 'password.link-refused',
          ip,
          details: { reason: link ? 'used or expired' : 'unknown link' },
        },
      ]);
      return new SignInRefused(
        'LINK_INVALID',
        'This password link is not valid: it was used already, has expired, or was mistyped. Ask an admin for a new one.',
      );
    }
    const person = Number(link.person_id);
    await c.query('UPDATE password_links SET used_at = now() WHERE token_hash = $1', [hashToken(token)]);
    await c.query(
      `INSERT INTO password_credentials (person_id, hash) VALUES ($1, $2)
         ON CONFLICT (person_id) DO UPDATE SET hash = EXCLUDED.hash, failed_count = 0, locked_until = NULL, updated_at = now()`,
      [person, hashed],
    );
    const revoked = await revokeSessions(c, person);
    const { rows: t } = await c.query<{ tenant_id: string }>(
      'SELECT tenant_id FROM memberships WHERE person_id = $1 AND tenant_id IS NOT NULL',
      [person],
    );
    await appendAudit(
      c,
      entries(
        t.map((r) => Number(r.tenant_id)),
        { actor: link.email, action: 'password.set', ip, details: { sessionsRevoked: revoked } },
      ),
    );
    return person;
  });
  if (outcome instanceof SignInRefused) throw outcome;
  return outcome;
}
