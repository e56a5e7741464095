import type { Pool } from 'pg';
import { SObjects } from '../generated/sobjects';
import type { Fleet } from '../fleet/harness';
import { openTenantStore } from '../server/cli-support';
import type { AsyncStore } from '../sync';

const TIGHTKNIT_ID = 'tightknit__Tightknit_Id__c';

/** p50, p99 and max of a list of seconds (0 for an empty list). */
export function percentiles(values: number[]): { n: number; p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : 0;
  const round = (v: number): number => Math.round(v * 10) / 10;
  return { n: sorted.length, p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1] ?? 0) };
}

/**
 * Start lag of the scheduled runs due in [from, to]: for each queued job, its first attempt's start
 * less the due time the scheduler gave it (a retry after a worker died does not reset it). `types`
 * narrows to run types (the steady scenarios count incremental runs only).
 */
export async function startLags(
  pool: Pool,
  opts: { tenantIds: number[]; from: Date; to: Date; types?: string[] },
): Promise<number[]> {
  const { rows } = await pool.query<{ lag: number }>(
    `SELECT extract(epoch FROM min(started_at) - min(due_at))::float8 AS lag
       FROM run_attempts
      WHERE tenant_id = ANY($1::bigint[]) AND due_at BETWEEN $2 AND $3
        AND ($4::text[] IS NULL OR type = ANY($4::text[]))
      GROUP BY job_id`,
    [opts.tenantIds, opts.from, opts.to, opts.types ?? null],
  );
  return rows.map((r) => Math.max(0, r.lag));
}

/**
 * Pairs of attempts of one tenant that ran at the same time (one started before the other finished),
 * from the history: the check that no tenant ran twice at once, on any worker.
 */
export async function overlaps(pool: Pool, tenantIds: number[]): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n
       FROM run_attempts a JOIN run_attempts b
         ON a.tenant_id = b.tenant_id AND (a.job_id, a.attempt) <> (b.job_id, b.attempt)
        AND b.started_at >= a.started_at AND b.started_at < coalesce(a.finished_at, 'infinity')
        AND NOT (b.started_at = a.started_at AND (b.job_id, b.attempt) < (a.job_id, a.attempt))
      WHERE a.tenant_id = ANY($1::bigint[])`,
    [tenantIds],
  );
  return rows[0].n;
}

/** Attempts by status over the tenants (Succeeded, Lost, HandedBack, Failed, …). */
export async function attemptsByStatus(pool: Pool, tenantIds: number[]): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM run_attempts WHERE tenant_id = ANY($1::bigint[]) GROUP BY status ORDER BY status',
    [tenantIds],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** The Tightknit ids of the store's live (not deleted) members or activities. */
async function storeIds(store: AsyncStore, kind: 'member' | 'activity'): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let after = 0; ;) {
    const page =
      kind === 'member' ? await store.changedMembers(after, 5000) : await store.changedActivities(after, 5000);
    for (const r of page) if (!r.deleted) ids.add(r.row.tightknitId);
    if (page.length < 5000) return ids;
    after = page[page.length - 1].seq;
  }
}

/** Records lost (in the store, not in the org) and duplicated (one id on several org records), all tenants. */
export interface Reconciliation {
  records: number;
  lost: number;
  duplicated: number;
  /** Tenants with a loss or a duplicate, named. */
  tenants: string[];
}

/** Compares every tenant's store with its emulated org by external id (Tightknit id), members and activities. */
export async function reconcile(fleet: Fleet, tenants = fleet.tenants): Promise<Reconciliation> {
  const out: Reconciliation = { records: 0, lost: 0, duplicated: 0, tenants: [] };
  for (const t of tenants) {
    const store = openTenantStore(fleet.pool, t.ref);
    let bad = false;
    for (const [kind, sobject] of [
      ['member', SObjects.Member],
      ['activity', SObjects.Activity],
    ] as const) {
      const want = await storeIds(store, kind);
      const seen = new Map<string, number>();
      for (const id of await fleet.emulator.values(t.org, sobject, TIGHTKNIT_ID)) seen.set(id, (seen.get(id) ?? 0) + 1);
      const lost = [...want].filter((id) => !seen.has(id)).length;
      const duplicated = [...seen.values()].filter((n) => n > 1).length;
      out.records += want.size;
      out.lost += lost;
      out.duplicated += duplicated;
      bad ||= lost > 0 || duplicated > 0;
    }
    if (bad) out.tenants.push(t.ref.name);
  }
  return out;
}
