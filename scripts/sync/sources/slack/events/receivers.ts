import type { ReceiverState } from '../../../domain';
import type { ReceiverMode, ReceiverRecord } from '../../../store';

export type { ReceiverMode, ReceiverRecord } from '../../../store';

/** How often a running receiver says it is alive. */
export const BEAT_EVERY_MS = 30_000;
/** A receiver not heard from for this long died without closing (a crash, kill -9, a host gone). */
export const SILENT_AFTER_MS = 3 * BEAT_EVERY_MS;

/**
 * receiving: a receiver of the configured mode runs and was heard from lately; stopped: the last one
 * closed; silent: the last one stopped saying it is alive without closing (or its clock is far off);
 * none: no receiver of that mode ever stored into this state directory.
 */
export type { ReceiverState } from '../../../domain';

export interface CurrentReceiver {
  state: ReceiverState;
  /** The receiver the state is about: a running one if any, else the last one heard from. */
  record: ReceiverRecord | null;
  /** Every receiver of that mode running now (a read while they run covers them all). */
  running: ReceiverRecord[];
  /** A receiver of the other mode that runs: Slack sends events to one mode only, so it receives nothing. */
  otherMode: ReceiverRecord | null;
}

function isRunning(r: ReceiverRecord, now: Date): boolean {
  return r.stoppedAt === null && Math.abs(now.getTime() - Date.parse(r.seenAt)) <= SILENT_AFTER_MS;
}

/** Which receiver the configured mode has at `now` (the wall clock: heartbeats are written with it). */
export function currentReceiver(records: readonly ReceiverRecord[], mode: ReceiverMode, now: Date): CurrentReceiver {
  const ofMode = records.filter((r) => r.mode === mode);
  const running = ofMode.filter((r) => isRunning(r, now));
  const otherMode = records.find((r) => r.mode !== mode && isRunning(r, now)) ?? null;
  if (running.length > 0) {
    const record = running.find((r) => r.covered) ?? running[0];
    return { state: 'receiving', record, running, otherMode };
  }
  const last = ofMode[0] ?? null;
  return { state: !last ? 'none' : last.stoppedAt !== null ? 'stopped' : 'silent', record: last, running, otherMode };
}
