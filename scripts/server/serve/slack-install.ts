import type { Pool } from 'pg';
import type { MasterKeys } from '../secrets/master-key';
import { loadTenantSlackCredentials, type SlackCredentials } from '../tenant-state/credentials';
import type { TenantRef } from '../tenant-state/tenant-ref';

/**
 * The tenant's Slack workspace connection as a pass's steps share it: the Web API read and the inbox ask
 * for it only when they need a token, and the first ask loads it (one query, one unseal) for both.
 * Undefined when no workspace is connected.
 */
export interface SlackInstall {
  (): Promise<SlackCredentials | undefined>;
  /** Loads it again, past the pass's copy: after Slack refused the token, was it disconnected meanwhile? */
  fresh(): Promise<SlackCredentials | undefined>;
}

/** The loader `lazySlackInstall` calls; a test passes its own to count the loads. */
export type SlackCredentialsLoader = typeof loadTenantSlackCredentials;

/** The tenant's Slack connection, loaded on the first ask and kept for the rest of the pass. */
export function lazySlackInstall(
  pool: Pool,
  keys: MasterKeys,
  tenant: TenantRef,
  load: SlackCredentialsLoader = loadTenantSlackCredentials,
): SlackInstall {
  let loaded: Promise<SlackCredentials | undefined> | undefined;
  return Object.assign(() => (loaded ??= load(pool, keys, tenant)), {
    fresh: () => (loaded = load(pool, keys, tenant)),
  });
}
