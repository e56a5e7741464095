import type { OpenedInbox } from './inbox-db';
import { BEAT_EVERY_MS, type ReceiverMode } from './receivers';

/** Applied events are kept a week for investigation, then pruned (Slack's retries stop after about an hour). */
const KEEP_APPLIED_MS = 7 * 24 * 3600 * 1000;
const PRUNE_EVERY_MS = 3600 * 1000;

/**
 * What a receiver does besides storing events, for as long as it runs: says it is alive (so the live
 * source can tell a quiet workspace from a dead receiver, and polls instead) and prunes old applied
 * events. Returns the function that ends it, recording that the receiver stopped. Throws when the first
 * write fails (the store stayed busy): the caller closes what it opened.
 */
export async function keepInbox(
  opened: OpenedInbox,
  mode: ReceiverMode,
  address: string,
): Promise<() => Promise<void>> {
  const { inbox } = opened;
  const receivers = opened.store.receivers;
  const token = await receivers.started(mode, address);
  // A later write can find the store busy for longer than its busy timeout (a large push): the next tick writes.
  const quietly = (write: () => Promise<unknown>) => async (): Promise<void> => {
    try {
      await write();
    } catch {
      // Next time.
    }
  };
  const beat = setInterval(() => void quietly(() => receivers.alive(token))(), BEAT_EVERY_MS);
  const prune = setInterval(
    () => void quietly(() => inbox.prune(new Date(Date.now() - KEEP_APPLIED_MS)))(),
    PRUNE_EVERY_MS,
  );
  beat.unref();
  prune.unref();
  return () => {
    clearInterval(beat);
    clearInterval(prune);
    return quietly(() => receivers.stopped(token))();
  };
}
