import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { recordEvent, type HistoryEventType } from '../history';
import { openAsyncStore, STORE_FILE } from '../store';

export type { HistoryEventType };

/**
 * Writes a connection or schedule event into the sync history of a state directory. When no store
 * exists yet (connect before the first ingest) one is created: history starts with the connection.
 */
export async function recordHistoryEvent(stateDir: string, type: HistoryEventType, message: string): Promise<void> {
  const store = openAsyncStore({ stateDir });
  try {
    await recordEvent(store, type, message);
  } finally {
    await store.close();
  }
}

export function storeExists(stateDir: string): boolean {
  return existsSync(join(stateDir, STORE_FILE));
}
