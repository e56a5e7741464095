import type { Pool, PoolClient } from 'pg';
import { APP_ROLE, TENANT_SETTING } from '../db/tenant-tables';
import { inTransaction } from '../db/transaction';

/** One entry of the audit trail. `tenantId` null: an operator-wide entry. */
export interface AuditEntry {
  tenantId: number | null;
  /** A person's email, `cli:<os user>` or `worker`. */
  actor: string;
  action: string;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export { inTransaction };

/**
 * Appends entries to the audit trail inside the caller's transaction, as the application role (which
 * may only insert and read them), each under its own tenant scope. Call it last in a transaction: the
 * role stays switched until the transaction ends.
 */
export async function appendAudit(client: PoolClient, entries: AuditEntry[]): Promise<void> {
  await client.query(`SET LOCAL ROLE ${APP_ROLE}`);
  for (const e of entries) {
    await client.query('SELECT set_config($1, $2, true)', [
      TENANT_SETTING,
      e.tenantId === null ? '' : String(e.tenantId),
    ]);
    await client.query('INSERT INTO audit_events (tenant_id, actor, action, details, ip) VALUES ($1, $2, $3, $4, $5)', [
      e.tenantId,
      e.actor,
      e.action,
      JSON.stringify(e.details ?? {}),
      e.ip ?? null,
    ]);
  }
}

/** Writes entries to the audit trail in a transaction of their own (refusals: nothing else changes). */
export async function recordAudit(pool: Pool, ...entries: AuditEntry[]): Promise<void> {
  await inTransaction(pool, (c) => appendAudit(c, entries));
}
