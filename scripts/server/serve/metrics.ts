import type { Pool } from 'pg';
import { Gauge, Registry } from 'prom-client';
import { queueDepth } from '../queue/runs';

/** The metric names, as dashboards and alerts know them (docs/server.md lists them). */
const NAMES = {
  runs: 'tightknit_runs',
  queue: 'tightknit_queue_jobs',
  lag: 'tightknit_tenant_lag_seconds',
  pushed: 'tightknit_records_pushed',
  budget: 'tightknit_api_budget_remaining',
} as const;

/**
 * Prometheus metrics of the whole fleet, read from the database at every scrape (so any `serve`
 * process reports every worker's runs): runs by status, queue depth, lag and records pushed per
 * tenant, and the API budget left per org.
 */
export class FleetMetrics {
  readonly registry = new Registry();
  private readonly runs = this.gauge(NAMES.runs, 'Run attempts recorded by the workers, by status', ['status']);
  private readonly queue = this.gauge(NAMES.queue, 'Jobs of the run queue by state (dead = dead-lettered)', ['state']);
  private readonly lag = this.gauge(
    NAMES.lag,
    'Seconds since the start of the last successful run of each active tenant (since it was added if none)',
    ['tenant'],
  );
  private readonly pushed = this.gauge(NAMES.pushed, 'Records pushed to the org by recorded runs, per tenant', [
    'tenant',
  ]);
  private readonly budget = this.gauge(
    NAMES.budget,
    'API requests each org has left above its reserve, as the shared budget last read it',
    ['org'],
  );

  constructor(private readonly pool: Pool) {}

  private gauge(name: string, help: string, labelNames: string[]): Gauge {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  /** The exposition text, read now. Throws when the database does not answer. */
  async scrape(): Promise<string> {
    const [runs, queue, tenants, budget] = await Promise.all([
      this.pool.query<{ status: string; n: number }>(
        // Attempts pruned from run_attempts are counted in run_attempts_pruned (serve/attempts.ts).
        `SELECT status, sum(n)::int AS n FROM (
           SELECT coalesce(waiting, status) AS status, count(*) AS n FROM run_attempts GROUP BY 1
           UNION ALL SELECT status, attempts FROM run_attempts_pruned) x GROUP BY 1`,
      ),
      queueDepth(this.pool),
      this.pool.query<{ name: string; lag: number; pushed: string }>(
        `SELECT t.name,
           extract(epoch FROM now() - coalesce(
             max(a.started_at) FILTER (WHERE a.status IN ('Succeeded', 'PartiallyFailed')), t.created_at))::float8 AS lag,
           coalesce(sum(a.records_pushed), 0)
             + coalesce((SELECT sum(p.records_pushed) FROM run_attempts_pruned p WHERE p.tenant_id = t.id), 0) AS pushed
         FROM tenants t LEFT JOIN run_attempts a ON a.tenant_id = t.id
         WHERE t.status = 'active' GROUP BY t.id`,
      ),
      this.pool.query<{ org: string; left: number }>(
        'SELECT org, greatest(remaining - reserve, 0)::int AS left FROM org_api_budget',
      ),
    ]);
    for (const g of [this.runs, this.queue, this.lag, this.pushed, this.budget]) g.reset();
    for (const r of runs.rows) this.runs.set({ status: r.status }, r.n);
    for (const q of queue) this.queue.set({ state: q.state }, q.jobs);
    for (const t of tenants.rows) {
      this.lag.set({ tenant: t.name }, Math.max(0, t.lag));
      this.pushed.set({ tenant: t.name }, Number(t.pushed));
    }
    for (const b of budget.rows) this.budget.set({ org: b.org }, b.left);
    return this.registry.metrics();
  }
}
