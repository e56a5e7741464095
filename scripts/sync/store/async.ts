import type { Ledger, MatchLedger } from '../ledger';
import type {
  EventInbox,
  FeedPositions,
  Receivers,
  RowBatch,
  SlackCursors,
  SourceState,
  Store,
  StoreWriter,
  TransferCounts,
} from './contract';

/** `T` with every method returning a Promise of what it returned; plain properties stay as they are. */
export type Promised<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

/** The parts of the store a write carries with it (see `StoreWriter`). */
type WriterParts = 'inbox' | 'slackCursors' | 'feedPositions';

/** One ingest's writes, Promise-based (see `StoreWriter`). */
export interface AsyncStoreWriter extends Promised<Omit<StoreWriter, WriterParts>> {
  readonly inbox: AsyncEventInbox;
  readonly slackCursors: AsyncSlackCursors;
  readonly feedPositions: Promised<FeedPositions>;
}

export type AsyncLedger = Promised<Ledger>;
export type AsyncMatchLedger = Promised<MatchLedger>;
export type AsyncEventInbox = Promised<EventInbox>;
export type AsyncReceivers = Promised<Receivers>;
export type AsyncSlackCursors = Promised<SlackCursors>;

type StoreParts =
  'ledger' | 'matchLedger' | 'inbox' | 'receivers' | 'slackCursors' | 'feedPositions' | 'sourceState' | 'transfer';

/** `StoreTransfer` with the batches streamed: an export yields them as it reads, an import awaits each. */
export interface AsyncStoreTransfer {
  exportRows(batchSize: number): AsyncIterable<RowBatch>;
  importRows(batches: AsyncIterable<RowBatch>): Promise<TransferCounts>;
}

/**
 * The store contract as a Promise-based implementation offers it: the same methods as `Store`, every
 * result a Promise. A PostgreSQL store implements this; the SQLite store offers it through
 * `openAsyncStore`. `describeStoreContract` (scripts/test-support/store-contract) checks any `AsyncStore`.
 */
export interface AsyncStore extends Promised<Omit<Store, StoreParts | 'beginWrite' | 'transaction'>> {
  readonly ledger: AsyncLedger;
  readonly matchLedger: AsyncMatchLedger;
  readonly inbox: AsyncEventInbox;
  readonly receivers: AsyncReceivers;
  readonly slackCursors: AsyncSlackCursors;
  readonly feedPositions: Promised<FeedPositions>;
  readonly sourceState: Promised<SourceState>;
  readonly transfer: AsyncStoreTransfer;
  /** Starts one ingest's write transaction (only one at a time per store: a second waits for it). */
  beginWrite(): Promise<AsyncStoreWriter>;
  /**
   * Runs `fn` as one transaction: what it writes through `tx` commits together when its Promise resolves,
   * or not at all when it rejects (the error is rethrown). Use `tx`, not this store, inside `fn`, and do
   * not start a transaction or a write inside another one (SQLite's would wait for itself).
   */
  transaction<T>(fn: (tx: AsyncStore) => Promise<T>): Promise<T>;
}
