import type { Pool } from 'pg';
import { storedOrgCredentials } from '../connect/salesforce/credentials';
import { withTenant } from '../db/tenant-scope';
import type { MasterKeys } from '../secrets/master-key';
import { loadTenantSlackCredentials, SALESFORCE_SECRET, SLACK_SECRET } from '../tenant-state/credentials';
import type { TenantRef } from '../tenant-state/tenant-ref';
import { findTenant, removeTenant, type Tenant } from '../tenants';
import { forgetTenantOrg, revokeOrgCredentials, type Revocation } from './org-connection';
import { forgetTenantSlack, revokeSlackInstall } from './slack-connection';

/** What happened to each of a removed tenant's connections; undefined: none was stored. */
export interface RemovalRevocations {
  salesforce?: Revocation & { instanceUrl: string };
  slack?: Revocation & { teamId: string };
}

/**
 * Before `tenants remove`: revokes the tenant's org token and Slack bot token, so a removed tenant
 * leaves no live authorization behind. A revoked (or already invalid) token is forgotten. A revoke
 * that failed (org or Slack unreachable) keeps the sealed token when the data is kept, so the operator
 * can revoke later (`tenants add`, then `disconnect --tenant`); with the data deleted it goes too, and
 * the note says what to do in the org or workspace.
 */
async function revokeForRemoval(
  pool: Pool,
  masterKeys: () => MasterKeys,
  tenant: TenantRef,
  deleteData: boolean,
): Promise<RemovalRevocations> {
  const out: RemovalRevocations = {};
  // The master key is needed only to open a stored token: a tenant with none is removed without it.
  const { rows } = await withTenant(pool, tenant.id, (c) =>
    c.query('SELECT 1 FROM tenant_secrets WHERE name = ANY($1) LIMIT 1', [[SALESFORCE_SECRET, SLACK_SECRET]]),
  );
  if (rows.length === 0) return out;
  const keys = masterKeys();
  const org = await storedOrgCredentials(pool, keys, tenant);
  if (org) {
    const r = await revokeOrgCredentials(org);
    out.salesforce = { ...r, instanceUrl: org.instanceUrl };
    if (!r.failed || deleteData) await forgetTenantOrg(pool, tenant);
  }
  const slack = await loadTenantSlackCredentials(pool, keys, tenant);
  if (slack) {
    const r = await revokeSlackInstall(slack);
    out.slack = { ...r, teamId: slack.info.teamId };
    if (!r.failed || deleteData) await forgetTenantSlack(pool, tenant);
  }
  return out;
}

/**
 * The operator's `tenants remove`, from the terminal or the console: the tokens revoked first
 * (`revokeForRemoval`), then the tenant taken out of service, or deleted with all its rows with
 * `deleteData`. The caller writes the audit row (its actor differs).
 */
export async function retireTenant(
  pool: Pool,
  masterKeys: () => MasterKeys,
  name: string,
  deleteData: boolean,
): Promise<{ tenant: Tenant; revocations: RemovalRevocations }> {
  const revocations = await revokeForRemoval(pool, masterKeys, await findTenant(pool, name), deleteData);
  const tenant = await removeTenant(pool, name, deleteData);
  return { tenant, revocations };
}
