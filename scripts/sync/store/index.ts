/**
 * The store: the contract every implementation meets (contract.ts), the data it keeps (types.ts,
 * records.ts) and the embedded SQLite implementation's entry (openStore).
 */
export type {
  EventInbox,
  FeedPositions,
  KindCounts,
  Receivers,
  SlackCursors,
  SourceState,
  Store,
  StoreWriter,
  WriteCounts,
  WriteOutcome,
} from './contract';
export type * from './records';
export * from './types';
export { openStore, STORE_FILE, type OpenStoreOptions } from './sqlite';
export type { AsyncStore, AsyncStoreWriter, Promised } from './async';
export { openAsyncStore } from './sqlite/async';
