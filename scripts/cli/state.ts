import type { AsyncStore } from '../sync/store';
import { cliSupport, type StateLocation } from './server-mode';

/**
 * The store where a command's state is: the tenant's PostgreSQL store in server mode, else what
 * `openDir` opens in the state directory (the command decides whether a missing store is created or
 * refused).
 */
export function openLocationStore(where: StateLocation, openDir: (stateDir: string) => AsyncStore): AsyncStore {
  return where.kind === 'tenant' ? cliSupport().openTenantStore(where.pool, where.tenant) : openDir(where.stateDir);
}
