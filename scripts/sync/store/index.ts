/**
 * The store: the contract every implementation meets (contract.ts), the data it keeps (types.ts,
 * records.ts) and the embedded SQLite implementation's entry (openStore).
 */
export type { ActivityPut, EventInbox, KindCounts, Store } from './contract';
export type * from './records';
export * from './types';
export { openStore, STORE_FILE } from './sqlite';
export type {
  AsyncEventInbox,
  AsyncLedger,
  AsyncMatchLedger,
  AsyncReceivers,
  AsyncSlackCursors,
  AsyncStore,
  AsyncStoreWriter,
} from './async';
export { openAsyncStore } from './sqlite/async';
