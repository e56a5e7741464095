import { userInfo } from 'node:os';
import type { Pool } from 'pg';
import { recordAudit } from '../people/db';

/** The audit trail's actor for a change made from this terminal: `cli:<os user>`. */
function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    // No passwd entry (a container's arbitrary uid).
    return 'cli:unknown';
  }
}

/** Writes one audit entry for a change a CLI command made (tenantId null: an operator-wide change). */
export function auditCli(
  pool: Pool,
  tenantId: number | null,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  return recordAudit(pool, { tenantId, actor: cliActor(), action, details });
}
