import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonFile } from '../json-file';
import { ensurePrivateDir, privateFileMode } from '../state-dir';

/*
 * The schedule's pause state file. Its writer with history, setPaused, is in pause-resume.ts on purpose:
 * that one opens the store to record the event, while this reader runs on each pass of the scheduler loop and behind
 * the core entry's readScheduleState, which must load no store (scripts/sync/__tests__/entry.test.ts).
 */
const SCHEDULE_FILE = 'schedule.json';

export interface ScheduleState {
  paused: boolean;
  changedAt?: string;
  reason?: string;
}

/** Whether scheduled syncs are paused; a state file, so it survives restarts of `start`. */
export function readScheduleState(stateDir: string): ScheduleState {
  const file = join(stateDir, SCHEDULE_FILE);
  if (!existsSync(file)) return { paused: false };
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ScheduleState;
  } catch {
    return { paused: false };
  }
}

export function writeScheduleState(stateDir: string, state: ScheduleState): void {
  ensurePrivateDir(stateDir);
  writeJsonFile(join(stateDir, SCHEDULE_FILE), state, { mode: privateFileMode });
}
