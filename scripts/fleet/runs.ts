import type { Pool } from 'pg';
import type { TenantRef } from '../server/tenant-state/tenant-ref';

/** A finished attempt at a run, as `run_attempts` records it. */
export interface FinishedRun {
  type: string;
  status: string;
  seconds: number;
  worker: string;
}

const UNFINISHED = ['Running', 'HandedBack', 'Lost'];

/**
 * Waits until every tenant has a finished attempt of a run of `type` (the latest one counts) and
 * returns them in the tenants' order. A failed attempt stops the wait with its message: the demo
 * shows the cause at once rather than waiting through the retries' backoff.
 */
export async function waitForRuns(
  pool: Pool,
  tenants: TenantRef[],
  opts: { type: string; timeoutSeconds: number },
): Promise<FinishedRun[]> {
  const deadline = Date.now() + opts.timeoutSeconds * 1000;
  for (;;) {
    const { rows } = await pool.query<{
      tenant_id: string;
      status: string;
      seconds: number;
      worker: string;
      message: string | null;
    }>(
      `SELECT DISTINCT ON (tenant_id) tenant_id, status, worker, message,
              extract(epoch FROM finished_at - started_at)::float8 AS seconds
         FROM run_attempts WHERE type = $1 AND tenant_id = ANY($2::bigint[])
        ORDER BY tenant_id, started_at DESC`,
      [opts.type, tenants.map((t) => t.id)],
    );
    const byTenant = new Map(rows.map((r) => [Number(r.tenant_id), r]));
    const failed = rows.find((r) => r.status === 'Failed');
    if (failed) {
      const name = tenants.find((t) => t.id === Number(failed.tenant_id))?.name;
      throw new Error(`${name}'s ${opts.type} failed: ${failed.message ?? 'no message'}`);
    }
    const done = tenants.map((t) => byTenant.get(t.id)).filter((r) => r && !UNFINISHED.includes(r.status));
    if (done.length === tenants.length) {
      return done.map((r) => ({ type: opts.type, status: r!.status, seconds: r!.seconds, worker: r!.worker }));
    }
    if (Date.now() > deadline) {
      const waiting = tenants.filter((t) => !done.includes(byTenant.get(t.id))).map((t) => t.name);
      throw new Error(`no finished ${opts.type} after ${opts.timeoutSeconds} s for: ${waiting.join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
