import { openAsyncStore, type AsyncEventInbox, type AsyncStore } from '../../../store';

/** Where a receiver keeps its inbox: the state directory's store, or a store the caller owns. */
export type InboxTarget = { stateDir: string } | { store: AsyncStore };

export interface OpenedInbox {
  inbox: AsyncEventInbox;
  /** The store the inbox is in (the receiver's liveness rows go there too). */
  store: AsyncStore;
  /** Closes the store only when this module opened it. */
  close(): Promise<void>;
}

/**
 * Opens the inbox. With a state directory the receiver gets its own connection to the store, opened
 * durable: an event acknowledged to Slack survives a power cut too (the store's busy timeout makes an
 * insert wait for a push's commit instead of failing).
 */
export function openInbox(target: InboxTarget): OpenedInbox {
  if ('store' in target) return { inbox: target.store.inbox, store: target.store, close: async () => undefined };
  const store = openAsyncStore({ stateDir: target.stateDir, durable: true });
  return { inbox: store.inbox, store, close: () => store.close() };
}
