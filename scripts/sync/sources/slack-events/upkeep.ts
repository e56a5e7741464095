import type { EventInbox, ReceiverRecord } from './inbox';

/** How often a running receiver says in the inbox that it is alive. */
export const BEAT_EVERY_MS = 30_000;
/** A receiver not heard from for this long died without closing (a crash, kill -9, a host gone). */
export const SILENT_AFTER_MS = 3 * BEAT_EVERY_MS;
/** Applied events are kept a week for investigation, then pruned (Slack's retries stop after about an hour). */
const KEEP_APPLIED_MS = 7 * 24 * 3600 * 1000;
const PRUNE_EVERY_MS = 3600 * 1000;

/**
 * receiving: a receiver runs and was heard from lately; stopped: it closed; silent: it stopped saying it
 * is alive without closing; none: no receiver ever stored into this inbox.
 */
export type ReceiverState = 'receiving' | 'stopped' | 'silent' | 'none';

export function receiverState(record: ReceiverRecord | null, now: Date): ReceiverState {
  if (!record) return 'none';
  if (record.stoppedAt !== null) return 'stopped';
  return now.getTime() - Date.parse(record.seenAt) > SILENT_AFTER_MS ? 'silent' : 'receiving';
}

/**
 * What a receiver does besides storing events, for as long as it runs: says it is alive (so the live
 * source can tell a quiet workspace from a dead receiver, and polls instead) and prunes old applied
 * events. Returns the function that ends it, recording that the receiver stopped.
 */
export function keepInbox(
  inbox: EventInbox,
  mode: ReceiverRecord['mode'],
  address: string,
  now: () => number = Date.now,
): () => void {
  const token = inbox.receiverStarted(mode, address, new Date(now()));
  // A write can find the store busy for longer than its busy timeout (a large push): the next tick writes.
  const quietly = (write: () => void) => () => {
    try {
      write();
    } catch {
      // Next time.
    }
  };
  const beat = setInterval(
    quietly(() => inbox.receiverAlive(token, new Date(now()))),
    BEAT_EVERY_MS,
  );
  const prune = setInterval(
    quietly(() => inbox.prune(new Date(now() - KEEP_APPLIED_MS))),
    PRUNE_EVERY_MS,
  );
  beat.unref();
  prune.unref();
  return () => {
    clearInterval(beat);
    clearInterval(prune);
    quietly(() => inbox.receiverStopped(token, new Date(now())))();
  };
}
