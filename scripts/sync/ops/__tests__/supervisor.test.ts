import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../org-emulator';
import { loadConfig, updateConfig } from '../../config';
import { UsageError } from '../../errors';
import { ingest } from '../../ingest';
import { openAsyncStore, STORE_FILE } from '../../store';
import { syncOnce } from '../run';
import { Supervisor, type SupervisorEvent } from '../supervisor';
import { connectToEmulator, FAST, KEYS, tempDir, writeCommunityFeed } from './fixtures';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

/** A state directory with a small community ingested, connected to a fresh org. */
async function prepared(): Promise<string> {
  const dir = tempDir();
  updateConfig(dir, { intervalMinutes: 1 });
  const store = openAsyncStore({ stateDir: dir });
  try {
    await ingest({ path: writeCommunityFeed(tempDir(), 8), store, config: loadConfig(dir) });
  } finally {
    await store.close();
  }
  await connectToEmulator(dir, emu);
  return dir;
}

function supervisorOf(dir: string, events: SupervisorEvent[]): Supervisor {
  return new Supervisor({ stateDir: dir, key: KEYS, tuning: FAST, tickMs: 20, onEvent: (e) => events.push(e) });
}

function until(events: SupervisorEvent[], type: SupervisorEvent['type']): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (events.some((e) => e.type === type)) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
}

describe('the run supervisor', () => {
  it('runs the schedule, refuses a second loop, shows its state and ends with the loop', async () => {
    const dir = await prepared();
    const events: SupervisorEvent[] = [];
    const supervisor = supervisorOf(dir, events);
    expect(await supervisor.start()).toBe(true);
    expect(supervisor.busy).toBe(true);
    await until(events, 'run-finished');
    expect(supervisor.status()).toMatchObject({ state: 'waiting', current: null, lastError: null });
    await expect(supervisor.start()).rejects.toThrow(
      new UsageError('ALREADY_RUNNING', 'Syncs are already running in this process.'),
    );

    const ended = supervisor.finished();
    await supervisor.stop();
    const result = await ended;
    expect(result?.runs.map((r) => r.type)).toEqual(['backfill']);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['started', 'run-started', 'run-finished', 'stopped', 'loop-ended']),
    );
    expect(events.at(-1)).toEqual({ type: 'loop-ended' });
    expect(supervisor.busy).toBe(false);
    expect(supervisor.status().state).toBe('stopped');
  });

  it('runs a re-match on its own when no loop runs, one at a time', async () => {
    const dir = await prepared();
    await syncOnce({ stateDir: dir, key: KEYS, tuning: FAST });
    const events: SupervisorEvent[] = [];
    const supervisor = supervisorOf(dir, events);
    supervisor.rematch();
    expect(supervisor.status().current).toMatchObject({ runType: 'rematch' });
    expect(() => supervisor.retry(1)).toThrow('A re-match is already running in this process.');
    await supervisor.close();
    const ended = events.find((e) => e.type === 'one-off-ended');
    expect(ended).toMatchObject({ summary: { type: 'rematch', status: 'Succeeded' } });
    expect(supervisor.status().current).toBeNull();
    expect(supervisor.busy).toBe(false);
  });

  it('hands the error that ended the loop to finished(), however soon the loop ended', async () => {
    const dir = await prepared();
    // The store cannot open: the loop fails as soon as it starts.
    rmSync(join(dir, STORE_FILE));
    mkdirSync(join(dir, STORE_FILE));
    const events: SupervisorEvent[] = [];
    const supervisor = supervisorOf(dir, events);
    expect(await supervisor.start()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(supervisor.finished()).rejects.toThrow();
    expect(events.at(-1)).toMatchObject({ type: 'loop-ended', error: { code: expect.any(String) } });
    expect(supervisor.status().lastError).not.toBeNull();
    expect(supervisor.busy).toBe(false);
  });

  it('starts nothing when the confirmation says no', async () => {
    const dir = await prepared();
    const events: SupervisorEvent[] = [];
    const supervisor = supervisorOf(dir, events);
    expect(await supervisor.start({ confirm: () => Promise.resolve(false) })).toBe(false);
    expect(supervisor.busy).toBe(false);
    expect(events).toEqual([]);
  });
});
