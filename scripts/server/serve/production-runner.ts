import { UsageError } from '../../sync/errors';
import type { TenantPassRunner } from './runner';

/**
 * The runner `serve` and `worker` use. This is where the core's pass on a tenant's PgStore plugs in
 * once the sync core runs on the async store; until then every job fails with this error (and is
 * retried with backoff, then dead-lettered), so nothing pretends to have synced.
 */
export function productionRunner(): TenantPassRunner {
  return {
    run: () =>
      Promise.reject(
        new UsageError(
          'PASS_NOT_AVAILABLE',
          'This build cannot run tenant passes yet: the sync core does not run on the PostgreSQL store in this build. Run the tenant in embedded mode (--state-dir) until a release that can.',
        ),
      ),
  };
}
