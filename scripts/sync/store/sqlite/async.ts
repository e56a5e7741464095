import type { EngagementConfig } from '../../engagement';
import type { AsyncStore, AsyncStoreTransfer, AsyncStoreWriter, Promised } from '../async';
import type { RowBatch, StoreWriter, TransferCounts } from '../contract';
import type { ObjectKind } from '../types';
import { openSqliteStore, type OpenStoreOptions, type SqliteStore } from '.';
import { emptyTransferCounts } from '../transfer';

/** Wraps an object so each of its methods returns a Promise (a throw becomes a rejection). */
function promised<T extends object>(target: T): Promised<T> {
  // Made once per method: the hot paths call a few methods very often.
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(t, key) {
      const value: unknown = Reflect.get(t, key, t);
      if (typeof value !== 'function') return value;
      let fn = wrapped.get(key);
      if (!fn) {
        // An async function: a throw becomes a rejection, as from a database client.
        fn = async (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(t, args);
        wrapped.set(key, fn);
      }
      return fn;
    },
  }) as unknown as Promised<T>;
}

/** A synchronous iterable handed out batch by batch, each after a turn of the event loop. */
async function* streamed<T>(items: Iterable<T>): AsyncIterable<T> {
  for (const item of items) yield await Promise.resolve(item);
}

/** Hands out turns one at a time: SQLite has one transaction per connection. */
class Turns {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for the previous turn to end; call the returned function to end this one. */
  async take(): Promise<() => void> {
    const previous = this.tail;
    let end!: () => void;
    this.tail = new Promise<void>((resolve) => (end = resolve));
    await previous;
    return end;
  }
}

/**
 * The SQLite store seen through the Promise-based contract. Transactions (`transaction`, and a writer
 * from `beginWrite` until it commits or rolls back) take turns, because they share the one connection.
 * Calls made outside `tx` while a transaction is open run on that connection too, so they join it: the
 * contract's rule "use `tx` inside `fn`" is what keeps that harmless.
 */
class SqliteAsyncStore implements AsyncStore {
  readonly ledger;
  readonly matchLedger;
  readonly inbox;
  readonly receivers;
  readonly slackCursors;
  readonly feedPositions;
  readonly sourceState;
  readonly transfer: AsyncStoreTransfer;
  private readonly turns = new Turns();

  constructor(private readonly store: SqliteStore) {
    this.ledger = promised(store.ledger);
    this.matchLedger = promised(store.matchLedger);
    this.inbox = promised(store.inbox);
    this.receivers = promised(store.receivers);
    this.slackCursors = promised(store.slackCursors);
    this.feedPositions = promised(store.feedPositions);
    this.sourceState = promised(store.sourceState);
    this.transfer = {
      exportRows: (batchSize) => streamed(store.transfer.exportRows(batchSize)),
      importRows: (batches) => this.importRows(batches),
    };
  }

  /** The import as one transaction across awaits (a turn of its own, like a writer). */
  private async importRows(batches: AsyncIterable<RowBatch>): Promise<TransferCounts> {
    const end = await this.turns.take();
    try {
      this.store.begin();
      try {
        this.store.transfer.refuseNonEmpty();
        const counts = emptyTransferCounts();
        for await (const batch of batches) this.store.transfer.importBatch(batch, counts);
        this.store.transfer.checkImported();
        this.store.commit();
        return counts;
      } catch (err) {
        this.store.rollback();
        throw err;
      }
    } finally {
      end();
    }
  }

  get location(): string {
    return this.store.location;
  }

  private async call<T>(fn: () => T): Promise<T> {
    return fn();
  }

  close = () => this.call(() => this.store.close());
  changedCommunities = (afterSeq: number, limit: number) =>
    this.call(() => this.store.changedCommunities(afterSeq, limit));
  changedMembers = (afterSeq: number, limit: number) => this.call(() => this.store.changedMembers(afterSeq, limit));
  changedActivities = (afterSeq: number, limit: number) =>
    this.call(() => this.store.changedActivities(afterSeq, limit));
  countChanged = (kind: ObjectKind, afterSeq: number) => this.call(() => this.store.countChanged(kind, afterSeq));
  maxSeq = () => this.call(() => this.store.maxSeq());
  getCommunity = (id: string) => this.call(() => this.store.getCommunity(id));
  getMember = (id: string) => this.call(() => this.store.getMember(id));
  getActivity = (id: string) => this.call(() => this.store.getActivity(id));
  counts = () => this.call(() => this.store.counts());
  rescore = (now: Date, config: EngagementConfig) => this.call(() => this.store.rescore(now, config));

  async beginWrite(): Promise<AsyncStoreWriter> {
    const end = await this.turns.take();
    let writer: StoreWriter;
    try {
      writer = this.store.beginWrite();
    } catch (err) {
      end();
      throw err;
    }
    return this.promisedWriter(writer, end);
  }

  async transaction<T>(fn: (tx: AsyncStore) => Promise<T>): Promise<T> {
    const end = await this.turns.take();
    try {
      this.store.begin();
      try {
        const result = await fn(this);
        this.store.commit();
        return result;
      } catch (err) {
        this.store.rollback();
        throw err;
      }
    } finally {
      end();
    }
  }

  /** The writer's methods as Promises; its end (commit or rollback, failed or not) ends its turn. */
  private promisedWriter(writer: StoreWriter, end: () => void): AsyncStoreWriter {
    const parts = { inbox: this.inbox, slackCursors: this.slackCursors, feedPositions: this.feedPositions };
    const methods = promised(writer);
    const finish = (fn: () => unknown) => this.call(fn).finally(end);
    return new Proxy(methods, {
      get: (t, key) => {
        if (key === 'commit')
          return (...args: Parameters<StoreWriter['commit']>) => finish(() => writer.commit(...args));
        if (key === 'rollback') return () => finish(() => writer.rollback());
        if (key === 'inbox' || key === 'slackCursors' || key === 'feedPositions') return parts[key];
        return Reflect.get(t, key) as unknown;
      },
    }) as unknown as AsyncStoreWriter;
  }
}

/** Opens the SQLite store (as `openStore` does) behind the Promise-based contract. */
export function openAsyncStore(opts: OpenStoreOptions): AsyncStore {
  return new SqliteAsyncStore(openSqliteStore(opts));
}
