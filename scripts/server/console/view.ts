import type { Pool } from 'pg';
import { listRuns, recentHistory, type RecentHistory, type RunListItem } from '../../sync';
import { BOSS_SCHEMA, DEAD_RUN_QUEUE, RUN_QUEUE } from '../queue/runs';
import { PgStore } from '../store';
import { lagSeconds, listTenants, type Tenant, type TenantSummary } from '../tenants';

/** A run that failed for good: its retries were spent, or it failed with a fix only a person can make. */
interface DeadLetter {
  jobId: string;
  type: string;
  failedAt: string;
  /** What went wrong and, for a final failure, the fix (the worker's scrubbed message). */
  message: string;
}

/** The attempt a worker is on now. */
interface CurrentAttempt {
  jobId: string;
  type: string;
  startedAt: string;
  /** Why it waits (`Waiting: API budget`), or null while it works. */
  waiting: string | null;
}

/** What the console's tenant page and `GET /api/tenants/:name/status` show: what is wrong and what to do. */
export interface TenantStatusView {
  tenant: Pick<Tenant, 'name' | 'community' | 'org' | 'status' | 'createdAt'>;
  /** One line: Running, Waiting: API budget, Needs attention, Paused, Queued, Idle, Not scheduled... */
  state: string;
  /** What to do about it, when anything needs doing. */
  nextStep: string | null;
  schedule: { enabled: boolean; intervalMinutes: number; nextDueAt: string } | null;
  current: CurrentAttempt | null;
  /** Runs queued, waiting for a retry, or taken by a worker that has not begun the run yet (`active`). */
  queued: { jobId: string; type: string; state: 'created' | 'retry' | 'active'; lastError: string | null }[];
  lastRun: RunListItem | null;
  lagSeconds: number | null;
  /** Dead-lettered runs since the tenant's last successful run (older ones were mended by it). */
  deadLetters: DeadLetter[];
}

async function schedule(pool: Pool, tenantId: number): Promise<TenantStatusView['schedule']> {
  const { rows } = await pool.query<{ enabled: boolean; interval_minutes: number; next_due_at: Date }>(
    'SELECT enabled, interval_minutes, next_due_at FROM tenant_schedules WHERE tenant_id = $1',
    [tenantId],
  );
  const s = rows[0];
  return s ? { enabled: s.enabled, intervalMinutes: s.interval_minutes, nextDueAt: s.next_due_at.toISOString() } : null;
}

async function currentAttempt(pool: Pool, tenantId: number): Promise<CurrentAttempt | null> {
  const { rows } = await pool.query<{ job_id: string; type: string; started_at: Date; waiting: string | null }>(
    `SELECT job_id, type, started_at, waiting FROM run_attempts
      WHERE tenant_id = $1 AND status = 'Running' ORDER BY started_at DESC LIMIT 1`,
    [tenantId],
  );
  const a = rows[0];
  return a ? { jobId: a.job_id, type: a.type, startedAt: a.started_at.toISOString(), waiting: a.waiting } : null;
}

async function queuedJobs(pool: Pool, tenantId: number): Promise<TenantStatusView['queued']> {
  const { rows } = await pool.query<{
    id: string;
    type: string;
    state: TenantStatusView['queued'][number]['state'];
    message: string | null;
  }>(
    `SELECT j.id, j.data->>'type' AS type, j.state::text AS state,
            (SELECT a.message FROM run_attempts a WHERE a.job_id = j.id ORDER BY a.attempt DESC LIMIT 1) AS message
       FROM ${BOSS_SCHEMA}.job j
      WHERE j.name = $1 AND j.singleton_key = $2 AND j.state IN ('created', 'retry', 'active')
      ORDER BY j.created_on`,
    [RUN_QUEUE, String(tenantId)],
  );
  return rows.map((r) => ({ jobId: r.id, type: r.type, state: r.state, lastError: r.message }));
}

/** Dead letters since the tenant's last successful run (those before were mended by it). */
const DEAD_SINCE_SUCCESS = `d.name = '${DEAD_RUN_QUEUE}' AND d.data->>'tenantId' = t.id::text AND d.state NOT IN ('completed', 'cancelled')
  AND d.created_on > coalesce((SELECT max(a.finished_at) FROM run_attempts a
                                WHERE a.tenant_id = t.id AND a.status IN ('Succeeded', 'PartiallyFailed')), '-infinity')`;

/**
 * The tenant's dead-lettered runs since its last successful run: the copies pg-boss puts on the dead
 * letter queue, with the failed attempt's message (it names the fix when only a person can make it).
 */
async function deadLetters(pool: Pool, tenantId: number): Promise<DeadLetter[]> {
  const { rows } = await pool.query<{ id: string; type: string; at: Date; message: string | null }>(
    `SELECT coalesce(d.source_id, d.id) AS id, d.data->>'type' AS type, d.created_on AS at,
            coalesce((SELECT a.message FROM run_attempts a WHERE a.job_id = d.source_id ORDER BY a.attempt DESC LIMIT 1),
                     d.source_output->>'message') AS message
       FROM ${BOSS_SCHEMA}.job d JOIN tenants t ON t.id = $1
      WHERE ${DEAD_SINCE_SUCCESS}
      ORDER BY d.created_on DESC LIMIT 20`,
    [tenantId],
  );
  return rows.map((r) => ({
    jobId: r.id,
    type: r.type,
    failedAt: r.at.toISOString(),
    message: r.message ?? 'The run failed; the worker left no message.',
  }));
}

/** The state line and the next step, from the facts gathered (first match wins: the most urgent). */
function stateOf(v: Omit<TenantStatusView, 'state' | 'nextStep'>): { state: string; nextStep: string | null } {
  const name = v.tenant.name;
  if (v.tenant.status === 'removed') return { state: 'Removed', nextStep: null };
  if (v.current?.waiting) return { state: v.current.waiting, nextStep: null };
  if (v.current) return { state: `Running (${v.current.type} since ${v.current.startedAt})`, nextStep: null };
  // A worker took the job and is opening the run: it is as good as running (pausing won't stop it).
  const starting = v.queued.find((q) => q.state === 'active');
  if (starting) return { state: `Starting (${starting.type})`, nextStep: null };
  if (v.deadLetters.length > 0) {
    return {
      state: 'Needs attention: a run failed for good',
      nextStep: /sync now/i.test(v.deadLetters[0].message)
        ? v.deadLetters[0].message
        : `${v.deadLetters[0].message} Once that is done, sync now to check.`,
    };
  }
  if (v.tenant.status === 'paused')
    return { state: 'Paused', nextStep: 'Resume when scheduled syncs should run again.' };
  const retrying = v.queued.find((q) => q.state === 'retry');
  if (retrying) return { state: `Retrying after a failure: ${retrying.lastError ?? 'no message'}`, nextStep: null };
  if (v.queued.length > 0) return { state: 'Queued', nextStep: null };
  const last = v.lastRun;
  if (last && (last.status === 'Failed' || last.status === 'PartiallyFailed')) {
    return {
      state: `Last run ${last.status} (run ${last.runId})`,
      nextStep: `Investigate run ${last.runId}, fix the cause it names, then retry it.`,
    };
  }
  if (!v.schedule?.enabled) {
    return {
      state: 'Not scheduled',
      nextStep: `Start the schedule (or \`tightknit-sync start --tenant ${name}\`); connect the org first if it is not.`,
    };
  }
  return { state: `Idle; next run due ${v.schedule.nextDueAt}`, nextStep: null };
}

/** Everything the tenant page shows at its top, read now. */
export async function tenantStatus(pool: Pool, tenant: Tenant): Promise<TenantStatusView> {
  const store = PgStore.open(pool, tenant.id, `tenant '${tenant.name}'`);
  const [sched, current, queued, runs, lag, dead] = await Promise.all([
    schedule(pool, tenant.id),
    currentAttempt(pool, tenant.id),
    queuedJobs(pool, tenant.id),
    listRuns(store, 1),
    lagSeconds(pool, [tenant.id]),
    deadLetters(pool, tenant.id),
  ]);
  const facts = {
    tenant: {
      name: tenant.name,
      community: tenant.community,
      org: tenant.org,
      status: tenant.status,
      createdAt: tenant.createdAt,
    },
    schedule: sched,
    current,
    queued,
    lastRun: runs[0] ?? null,
    lagSeconds: lag.get(tenant.id) ?? null,
    deadLetters: dead,
  };
  return { ...facts, ...stateOf(facts) };
}

/** `GET /api/tenants/:name/history`: the CLI's `history --json` fields (runs, waiting, events). */
export function tenantHistory(pool: Pool, tenant: Tenant, limit = 20): Promise<RecentHistory> {
  return recentHistory(PgStore.open(pool, tenant.id, `tenant '${tenant.name}'`), limit);
}

/** A tenant of the list, with the person's role there and its state in a few words. */
export type TenantListItem = TenantSummary & { role: string | null; state: string };

/** The list's state column for many tenants in one query: waiting, failed for good, running, or fine. */
async function listStates(pool: Pool, tenants: TenantSummary[]): Promise<Map<number, string>> {
  const { rows } = await pool.query<{ id: string; waiting: string | null; running: boolean; dead: number }>(
    `SELECT t.id,
       (SELECT a.waiting FROM run_attempts a WHERE a.tenant_id = t.id AND a.status = 'Running' AND a.waiting IS NOT NULL LIMIT 1) AS waiting,
       EXISTS (SELECT 1 FROM run_attempts a WHERE a.tenant_id = t.id AND a.status = 'Running') AS running,
       (SELECT count(*) FROM ${BOSS_SCHEMA}.job d WHERE ${DEAD_SINCE_SUCCESS})::int AS dead
     FROM tenants t WHERE t.id = ANY($1::bigint[])`,
    [tenants.map((t) => t.id)],
  );
  const facts = new Map(rows.map((r) => [Number(r.id), r]));
  return new Map(
    tenants.map((t) => {
      const f = facts.get(t.id);
      const last = t.lastRun?.status;
      const state = f?.waiting
        ? f.waiting
        : f && f.dead > 0
          ? `Needs attention: ${f.dead} run(s) failed for good`
          : f?.running
            ? 'Running'
            : t.status === 'paused'
              ? 'Paused'
              : last === 'Failed' || last === 'PartiallyFailed'
                ? `Last run ${last}`
                : last
                  ? 'OK'
                  : 'No run yet';
      return [t.id, state];
    }),
  );
}

/** The tenants a person may see: every one for the operator, else those they hold a role in (removed ones left out). */
export async function visibleTenants(
  pool: Pool,
  who: { operator: boolean; tenants: { id: number; role: string }[] },
): Promise<TenantListItem[]> {
  const roles = new Map(who.tenants.map((t) => [t.id, t.role]));
  const shown = (await listTenants(pool)).filter((t) => t.status !== 'removed' && (who.operator || roles.has(t.id)));
  const states = await listStates(pool, shown);
  return shown.map((t) => ({ ...t, role: roles.get(t.id) ?? null, state: states.get(t.id) ?? t.status }));
}
