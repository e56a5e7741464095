import { ApiBudget, reserveFromEnv, type ApiBudgetOptions } from '../budget/api-budget';
import { resolveMasterKeys, type MasterKeys } from '../secrets/master-key';
import type { TenantPassRunner } from './runner';
import { isLargeBackfill, runTenantPass, type TenantPassDeps } from './tenant-pass';

/**
 * API requests a pass takes from its org's budget before it starts: about what a small incremental pass
 * spends (describes, matching queries, one Bulk job per object with its polls). Larger passes spend more;
 * the budget reads the org's /limits again every minute, so what they really spent is counted then.
 */
const PASS_REQUESTS = 50;

export interface ProductionRunnerOptions {
  /** Default: from TIGHTKNIT_MASTER_KEY / _FILE (a missing key stops `serve` at start). */
  keys?: MasterKeys;
  /** Default: TIGHTKNIT_CLIENT_SECRET, the External Client App's consumer secret (for renewals). */
  clientSecret?: string;
  /** The shared API budget's tuning (default reserve: TIGHTKNIT_API_RESERVE or 20 %); false: no budget. */
  budget?: ApiBudgetOptions | false;
  /** Push knobs (tests poll the emulator quickly). */
  tuning?: TenantPassDeps['tuning'];
  /** The Slack Web API base for the inbox's user look-ups (tests: the Slack emulator). */
  slackApiUrl?: string;
}

/**
 * The runner `serve` and `worker` use: the core's push on the tenant's PgStore (tenant-pass.ts). Reads
 * the master key and the API reserve at once, so a process without them stops at start with the fix.
 */
export function productionRunner(opts: ProductionRunnerOptions = {}): TenantPassRunner {
  const keys = opts.keys ?? resolveMasterKeys();
  const budgetOptions = opts.budget === false ? undefined : { reserve: reserveFromEnv(), ...opts.budget };
  const clientSecret = opts.clientSecret ?? (process.env.TIGHTKNIT_CLIENT_SECRET || undefined);
  return {
    run: (input) =>
      runTenantPass(input, {
        keys,
        clientSecret,
        budget: budgetOptions ? new ApiBudget(input.pool, budgetOptions) : undefined,
        passRequests: PASS_REQUESTS,
        tuning: opts.tuning,
        slackApiUrl: opts.slackApiUrl,
      }),
    isLarge: (input) => isLargeBackfill(input),
  };
}
