import type { Pool } from 'pg';
import { openConnection } from '../../sync/connection/open';
import { slackClient } from '../../sync/connection/slack-credentials';
import { runChecks, type CheckReport } from '../../sync/ops/check';
import { runSlackChecks, withSlackChecks } from '../../sync/ops/slack-check';
import { storedOrgCredentials } from '../connect/salesforce/credentials';
import type { MasterKeys } from '../secrets/master-key';
import { credentialsWithAppSecret } from '../serve/tenant-pass';
import { loadTenantConfig } from '../tenant-state/config';
import { loadTenantSlackCredentials, tenantCredentials } from '../tenant-state/credentials';
import type { TenantRef } from '../tenant-state/tenant-ref';

/**
 * `check --tenant`: the embedded connection test against the tenant's org, opened as a worker opens it
 * (sealed credentials, the app's consumer secret added for renewals), and the Slack checks of its
 * workspace. As for a state directory: the org checks unless only Slack is connected. The receiver
 * check is left out: a tenant's events arrive at serve's /slack/events, not at a local receiver.
 */
export async function checkTenant(
  pool: Pool,
  keys: MasterKeys,
  tenant: TenantRef,
  opts: { includePrivate?: boolean; clientSecret?: string },
): Promise<CheckReport> {
  const { config } = await loadTenantConfig(pool, tenant);
  const install = await loadTenantSlackCredentials(pool, keys, tenant);
  const slack = install
    ? await runSlackChecks({
        client: slackClient(install.secrets, { retryConfig: { retries: 1 } }),
        info: install.info,
        includePrivate: opts.includePrivate ?? config.slack.includePrivate,
      })
    : [];
  const slackOnly = install && !(await storedOrgCredentials(pool, keys, tenant));
  const credentials = credentialsWithAppSecret(
    tenantCredentials(pool, keys, tenant),
    opts.clientSecret ?? (process.env.TIGHTKNIT_CLIENT_SECRET || undefined),
  );
  const orgReport: CheckReport = slackOnly
    ? { ok: true, checks: [] }
    : await runChecks({ connection: (await openConnection({ credentials })).connection, config });
  return withSlackChecks(orgReport, slack);
}
