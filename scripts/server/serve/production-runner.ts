import { ApiBudget, passRequestsFromEnv, reserveFromEnv, type ApiBudgetOptions } from '../budget/api-budget';
import { resolveMasterKeys, type MasterKeys } from '../secrets/master-key';
import type { TenantPassRunner } from './runner';
import { isLargeBackfill, runTenantPass, type TenantPassDeps } from './tenant-pass';

export interface ProductionRunnerOptions {
  /** Default: from TIGHTKNIT_MASTER_KEY / _FILE (a missing key stops `serve` at start). */
  keys?: MasterKeys;
  /** Default: TIGHTKNIT_CLIENT_SECRET, the External Client App's consumer secret (for renewals). */
  clientSecret?: string;
  /** The shared API budget's tuning (default reserve: TIGHTKNIT_API_RESERVE or 20 %); false: no budget. */
  budget?: ApiBudgetOptions | false;
  /** API requests a pass takes from its org's budget before it starts (default: TIGHTKNIT_API_PASS_REQUESTS or 50). */
  passRequests?: number;
  /** Push knobs (tests poll the emulator quickly). */
  tuning?: TenantPassDeps['tuning'];
  /** The Slack Web API base for the inbox's user look-ups (tests: the Slack emulator). */
  slackApiUrl?: string;
}

/**
 * The runner `serve` and `worker` use: the core's push on the tenant's PgStore (tenant-pass.ts). Reads
 * the master key, the API reserve and the requests per pass at once, so a process without them (or with
 * a malformed one) stops at start with the fix.
 */
export function productionRunner(opts: ProductionRunnerOptions = {}): TenantPassRunner {
  const keys = opts.keys ?? resolveMasterKeys();
  const budgetOptions = opts.budget === false ? undefined : { reserve: reserveFromEnv(), ...opts.budget };
  const passRequests = opts.passRequests ?? passRequestsFromEnv();
  const clientSecret = opts.clientSecret ?? (process.env.TIGHTKNIT_CLIENT_SECRET || undefined);
  return {
    run: (input) =>
      runTenantPass(input, {
        keys,
        clientSecret,
        budget: budgetOptions ? new ApiBudget(input.pool, budgetOptions) : undefined,
        passRequests,
        tuning: opts.tuning,
        slackApiUrl: opts.slackApiUrl,
      }),
    isLarge: (input) => isLargeBackfill(input),
  };
}
