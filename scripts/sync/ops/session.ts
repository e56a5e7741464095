import { loadConfig, SyncConfig } from '../config';
import { openConnection, OpenedConnection } from '../connection/open';
import type { KeyOptions } from '../connection/encryption';
import { openAsyncStore, type AsyncStore } from '../store';

/** What one sync process holds open: the store, the org connection and the configuration. */
export interface Session {
  stateDir: string;
  store: AsyncStore;
  opened: OpenedConnection;
  config: SyncConfig;
  close(): Promise<void>;
}

export interface SessionOptions {
  stateDir: string;
  key?: Omit<KeyOptions, 'stateDir'>;
  /** Tests and the demo pass their own connection (e.g. to the emulator). */
  opened?: OpenedConnection;
}

export async function openSession(opts: SessionOptions): Promise<Session> {
  const config = loadConfig(opts.stateDir);
  const opened = opts.opened ?? (await openConnection({ stateDir: opts.stateDir, ...opts.key }));
  const store = openAsyncStore({ stateDir: opts.stateDir });
  return { stateDir: opts.stateDir, store, opened, config, close: () => store.close() };
}
