import { readScheduleState, ScheduleState, writeScheduleState } from './pause';
import { recordHistoryEvent } from './history-events';

export interface PauseOptions {
  stateDir: string;
  paused: boolean;
  reason?: string;
}

export interface PauseResult {
  state: ScheduleState;
  /** False when it already was in the requested state. */
  changed: boolean;
}

/**
 * Pauses or resumes scheduled syncs without disconnecting. Written to a state file (a running `start`
 * picks it up on its next tick; a restart keeps it) and recorded in the sync history.
 */
export async function setPaused(opts: PauseOptions): Promise<PauseResult> {
  const before = readScheduleState(opts.stateDir);
  if (before.paused === opts.paused) return { state: before, changed: false };
  const state: ScheduleState = { paused: opts.paused, changedAt: new Date().toISOString(), reason: opts.reason };
  writeScheduleState(opts.stateDir, state);
  await recordHistoryEvent(
    opts.stateDir,
    opts.paused ? 'paused' : 'resumed',
    opts.paused ? `Scheduled syncs paused${opts.reason ? `: ${opts.reason}` : ''}.` : 'Scheduled syncs resumed.',
  );
  return { state, changed: true };
}
