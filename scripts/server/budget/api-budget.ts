import type { Pool } from 'pg';
import { UsageError } from '../../sync/errors';
import { inTransaction } from '../db/transaction';
import { sleep } from '../../sync/salesforce/http';

/** The setting that sets the reserve, in percent of the org's daily API requests (default 20). */
export const API_RESERVE_ENV = 'TIGHTKNIT_API_RESERVE';

/** The setting that sets how many API requests a pass takes from its org's budget before it starts. */
export const API_PASS_REQUESTS_ENV = 'TIGHTKNIT_API_PASS_REQUESTS';

/**
 * Requests a pass takes by default: about what a small incremental pass spends (describes, matching
 * queries, one Bulk job per object with its polls). Larger passes spend more; the budget reads the org's
 * /limits again every minute, so what they really spent is counted then.
 */
const DEFAULT_PASS_REQUESTS = 50;

/** What a run's status says while it waits for the budget. */
export const WAITING_API_BUDGET = 'Waiting: API budget';

/** DailyApiRequests as an org's /limits reports it. */
export interface OrgLimits {
  max: number;
  remaining: number;
}

/**
 * Reads the org's /limits (the pass's own connection does the call). An org that answers
 * REQUEST_LIMIT_EXCEEDED should be reported as `{ max, remaining: 0 }`: spent, not an error.
 */
export type LimitsReader = () => Promise<OrgLimits>;

export interface TakeOptions {
  readLimits: LimitsReader;
  /** Aborts the wait. */
  signal?: AbortSignal;
  /** Told `Waiting: API budget` when the take starts waiting, and null when it goes on. */
  onWait?: (reason: string | null) => Promise<void> | void;
}

export interface ApiBudgetOptions {
  /** Share of the org's daily requests never spent by the sync (0–0.9); default from TIGHTKNIT_API_RESERVE or 0.2. */
  reserve?: number;
  /** Age after which /limits is read again, so other API users of the org are accounted for. */
  refreshSeconds?: number;
  /** How long a spent budget waits before /limits is read again (Salesforce's window is a rolling 24 h). */
  recheckSeconds?: number;
  /** How often a waiting take looks at the table again. */
  pollMs?: number;
}

/** The reserve from TIGHTKNIT_API_RESERVE: a percentage from 0 to 90 ("20" or "20%"), default 20 %. */
export function reserveFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[API_RESERVE_ENV]?.trim();
  if (raw === undefined || raw === '') return 0.2;
  const n = Number(raw.replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0 || n > 90) {
    throw new UsageError(
      'API_RESERVE_INVALID',
      `${API_RESERVE_ENV} must be a percentage from 0 to 90 (got '${raw}'). Set it like ${API_RESERVE_ENV}=20, or unset it for 20 %.`,
    );
  }
  return n / 100;
}

/**
 * The requests a pass takes before it starts, from TIGHTKNIT_API_PASS_REQUESTS: a whole number from 0
 * (take nothing, only wait while the org's budget is spent) to 100,000; default 50.
 */
export function passRequestsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[API_PASS_REQUESTS_ENV]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_PASS_REQUESTS;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 100_000) {
    throw new UsageError(
      'API_PASS_REQUESTS_INVALID',
      `${API_PASS_REQUESTS_ENV} must be a whole number of API requests from 0 to 100000 (got '${raw}'). Set it like ${API_PASS_REQUESTS_ENV}=50, or unset it for 50.`,
    );
  }
  return n;
}

type Step = { kind: 'taken' } | { kind: 'refresh' } | { kind: 'wait'; ms: number };

interface BudgetRow {
  max: number;
  remaining: number;
  reserve: number;
  stale: boolean;
  wait_ms: number | null;
}

/**
 * The API budget every worker shares per org, in org_api_budget: what /limits last said about
 * DailyApiRequests, less what workers took since. A take that would dip into the reserve marks the
 * budget spent for `recheckSeconds`; every take for that org then waits (its run says
 * `Waiting: API budget`) until /limits, read again, shows requests above the reserve. Nothing fails.
 */
export class ApiBudget {
  private readonly reserve: number;

  constructor(
    private readonly pool: Pool,
    private readonly opts: ApiBudgetOptions = {},
  ) {
    this.reserve = opts.reserve ?? reserveFromEnv();
    if (!(this.reserve >= 0 && this.reserve <= 0.9)) {
      throw new UsageError('API_RESERVE_INVALID', `The API reserve must be from 0 to 0.9 (got ${this.reserve}).`);
    }
  }

  /** Takes `requests` API requests of `org`'s budget, waiting while it is spent. */
  async take(org: string, requests: number, take: TakeOptions): Promise<void> {
    let waiting = false;
    try {
      for (;;) {
        take.signal?.throwIfAborted();
        const step = await this.step(org, requests);
        if (step.kind === 'taken') return;
        if (step.kind === 'refresh') {
          await this.record(org, await take.readLimits(), requests);
          continue;
        }
        if (!waiting) await take.onWait?.(WAITING_API_BUDGET);
        waiting = true;
        await sleep(Math.min(step.ms, this.opts.pollMs ?? 5000), take.signal);
      }
    } finally {
      if (waiting) await take.onWait?.(null);
    }
  }

  /** One look at the org's row, under its row lock: take, or say to read /limits, or to wait. */
  private step(org: string, requests: number): Promise<Step> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<BudgetRow>(
        `SELECT max, remaining, reserve,
           (read_at < now() - make_interval(secs => $2) OR (wait_until IS NOT NULL AND wait_until <= now())) AS stale,
           CASE WHEN wait_until > now() THEN (extract(epoch FROM wait_until - now()) * 1000)::int END AS wait_ms
         FROM org_api_budget WHERE org = $1 FOR UPDATE`,
        [org, this.opts.refreshSeconds ?? 60],
      );
      const row = rows[0];
      let step: Step;
      if (!row) step = { kind: 'refresh' };
      else if (row.wait_ms !== null) step = { kind: 'wait', ms: row.wait_ms };
      else if (row.stale) step = { kind: 'refresh' };
      else if (row.remaining - row.reserve >= requests) {
        await client.query('UPDATE org_api_budget SET remaining = remaining - $2 WHERE org = $1', [org, requests]);
        step = { kind: 'taken' };
      } else {
        const recheck = this.opts.recheckSeconds ?? 300;
        await client.query('UPDATE org_api_budget SET wait_until = now() + make_interval(secs => $2) WHERE org = $1', [
          org,
          recheck,
        ]);
        step = { kind: 'wait', ms: recheck * 1000 };
      }
      return step;
    });
  }

  /** Stores a fresh reading of /limits (the spent mark goes: the reading decides again). */
  private async record(org: string, limits: OrgLimits, requests: number): Promise<void> {
    const reserve = Math.ceil(limits.max * this.reserve);
    if (requests > limits.max - reserve) {
      throw new UsageError(
        'API_BUDGET_TOO_SMALL',
        `A step asked for ${requests} API requests, more than org ${org} ever has above its reserve (${limits.max - reserve} of ${limits.max}). Lower ${API_RESERVE_ENV}.`,
      );
    }
    await this.pool.query(
      `INSERT INTO org_api_budget (org, max, remaining, reserve, read_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (org) DO UPDATE SET max = $2, remaining = $3, reserve = $4, read_at = now(), wait_until = NULL`,
      [org, limits.max, limits.remaining, reserve],
    );
  }
}
