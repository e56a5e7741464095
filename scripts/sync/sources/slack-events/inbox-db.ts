import { openStore, type EventInbox, type Store } from '../../store';

/** Where a receiver keeps its inbox: the state directory's store, or a store the caller owns. */
export type InboxTarget = { stateDir: string } | { store: Store };

export interface OpenedInbox {
  inbox: EventInbox;
  /** The store the inbox is in (the receiver's liveness rows go there too). */
  store: Store;
  /** Closes the store only when this module opened it. */
  close(): void;
}

/**
 * Opens the inbox. With a state directory the receiver gets its own connection to the store, opened
 * durable: an event acknowledged to Slack survives a power cut too (the store's busy timeout makes an
 * insert wait for a push's commit instead of failing).
 */
export function openInbox(target: InboxTarget): OpenedInbox {
  if ('store' in target) return { inbox: target.store.inbox, store: target.store, close: () => undefined };
  const store = openStore({ stateDir: target.stateDir, durable: true });
  return { inbox: store.inbox, store, close: () => store.close() };
}
