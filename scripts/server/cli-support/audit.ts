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

/** Leaves of a plain JSON value by dotted path (arrays are one leaf: a list of rules changes as a whole). */
function leaves(value: unknown, path: string, out: Map<string, unknown>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, value);
  }
}

/** Each field that differs between two configurations, with its value before and after. */
export function changedFields(before: object, after: object): Record<string, { before: unknown; after: unknown }> {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  leaves(before, '', a);
  leaves(after, '', b);
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const was = a.get(path);
    const now = b.get(path);
    if (JSON.stringify(was) !== JSON.stringify(now)) changes[path] = { before: was ?? null, after: now ?? null };
  }
  return changes;
}
