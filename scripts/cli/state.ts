import { type AsyncStore, openConnection, type OpenedConnection } from '../sync';
import { cliSupport, serverModule, type StateLocation } from './server-mode';

/**
 * The store where a command's state is: the tenant's PostgreSQL store in server mode, else what
 * `openDir` opens in the state directory (the command decides whether a missing store is created or
 * refused).
 */
export function openLocationStore(where: StateLocation, openDir: (stateDir: string) => AsyncStore): AsyncStore {
  return where.kind === 'tenant' ? cliSupport().openTenantStore(where.pool, where.tenant) : openDir(where.stateDir);
}

/** The org connection of the place: the state directory's credentials, or the tenant's (sealed with its data key). */
export function openLocationConnection(where: StateLocation): Promise<OpenedConnection> {
  if (where.kind === 'dir') return openConnection({ stateDir: where.stateDir });
  const { openTenantConnection, resolveMasterKeys } = serverModule();
  return openTenantConnection(where.pool, resolveMasterKeys(), where.tenant);
}
