import type { Pool } from 'pg';
import type { CredentialSource } from '../../sync/connection/credential-store';
import { openConnection, type OpenedConnection } from '../../sync/connection/open';
import type { SlackConnectionInfo, SlackSecrets } from '../../sync/connection/slack-credentials';
import type { StoredCredentials } from '../../sync/connection/types';
import { UsageError } from '../../sync/errors';
import type { MasterKeys } from '../secrets/master-key';
import { getSecret, putSecret } from '../secrets/tenant-secrets';
import type { TenantRef } from './tenant-ref';

/**
 * The names of a tenant's credentials among its secrets. Each holds the whole JSON a state directory's
 * sealed file holds (connection info and secrets), sealed with the tenant's data key: no part of it,
 * not even the org's user name, is in any table in clear.
 */
export const SALESFORCE_SECRET = 'salesforce.credentials';
export const SLACK_SECRET = 'slack.credentials';

/** The Slack workspace connection as the state directory keeps it: secrets and info. */
export interface SlackCredentials {
  secrets: SlackSecrets;
  info: SlackConnectionInfo;
}

/** Stores the tenant's org credentials (replacing any) and notes the org id in the tenant registry. */
export async function saveTenantCredentials(
  pool: Pool,
  keys: MasterKeys,
  tenant: TenantRef,
  creds: StoredCredentials,
): Promise<void> {
  await putSecret(pool, keys, tenant.id, SALESFORCE_SECRET, JSON.stringify(creds));
  await pool.query('UPDATE tenants SET org = $2 WHERE id = $1', [tenant.id, creds.orgId ?? null]);
}

/** The tenant's org credentials; NOT_CONNECTED (with the command that fixes it) when none are stored. */
export async function loadTenantCredentials(
  pool: Pool,
  keys: MasterKeys,
  tenant: TenantRef,
): Promise<StoredCredentials> {
  const stored = await getSecret(pool, keys, tenant.id, SALESFORCE_SECRET);
  if (stored === undefined) {
    throw new UsageError('NOT_CONNECTED', `No org is connected for tenant '${tenant.name}'.`, {
      actions: [`Run \`tightknit-sync connect --tenant ${tenant.name}\` first.`],
    });
  }
  return JSON.parse(stored) as StoredCredentials;
}

/** The tenant's secrets as a credential source: what `openConnection({ credentials })` loads and renews into. */
export function tenantCredentials(pool: Pool, keys: MasterKeys, tenant: TenantRef): CredentialSource {
  return {
    load: () => loadTenantCredentials(pool, keys, tenant),
    saveAccessToken: async (accessToken) => {
      const creds = await loadTenantCredentials(pool, keys, tenant);
      await putSecret(
        pool,
        keys,
        tenant.id,
        SALESFORCE_SECRET,
        JSON.stringify({ ...creds, secrets: { ...creds.secrets, accessToken } }),
      );
    },
  };
}

/**
 * Opens the Salesforce client for the tenant's org, as `openConnection` does for a state directory: an
 * expired access token is renewed and the new one stored, sealed, in the tenant's secrets.
 */
export function openTenantConnection(
  pool: Pool,
  keys: MasterKeys,
  tenant: TenantRef,
  opts: { onRenewed?: () => void } = {},
): Promise<OpenedConnection> {
  return openConnection({ credentials: tenantCredentials(pool, keys, tenant), ...opts });
}

/** Stores the tenant's Slack workspace connection (replacing any). */
export async function saveTenantSlackCredentials(
  pool: Pool,
  keys: MasterKeys,
  tenant: TenantRef,
  creds: SlackCredentials,
): Promise<void> {
  await putSecret(pool, keys, tenant.id, SLACK_SECRET, JSON.stringify(creds));
}

/** The tenant's Slack workspace connection; undefined when none is connected. */
export async function loadTenantSlackCredentials(
  pool: Pool,
  keys: MasterKeys,
  tenant: TenantRef,
): Promise<SlackCredentials | undefined> {
  const stored = await getSecret(pool, keys, tenant.id, SLACK_SECRET);
  return stored === undefined ? undefined : (JSON.parse(stored) as SlackCredentials);
}
