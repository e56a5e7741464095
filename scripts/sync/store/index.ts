/**
 * The store: the contract every implementation meets (contract.ts; the core uses its Promise-based form,
 * AsyncStore in async.ts), the data it keeps (types.ts, records.ts) and the embedded SQLite
 * implementation's entries: openAsyncStore for the core and the front ends, openStore (synchronous) for
 * the SQLite store's own tests.
 */
export type { ActivityPut, EventInbox, KindCounts, RowBatch, Store } from './contract';
export type * from './records';
export * from './types';
export { openStore } from './sqlite';
export { STORE_FILE } from './file';
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
