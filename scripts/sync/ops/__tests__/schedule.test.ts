import { startEmulator, type RunningEmulator } from '../../../org-emulator';
import { ActivityFields, MemberFields, SObjects } from '../../../generated/sobjects';
import { loadConfig, updateConfig } from '../../config';
import { saveCredentials } from '../../connection/credential-store';
import { OrgRefusedError } from '../../errors';
import { listEvents } from '../../history';
import { ingest } from '../../ingest';
import { openAsyncStore } from '../../store';
import { acquireLock } from '../lock';
import { readScheduleState } from '../pause';
import { setPaused } from '../pause-resume';
import { runSchedule, type ScheduleEvent } from '../schedule';
import { connectToEmulator, FAST, KEYS, tempDir, writeCommunityFeed } from './fixtures';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

/** A state directory with the sample community ingested, connected to a fresh org. */
async function prepared(activities = 60): Promise<string> {
  const dir = tempDir();
  updateConfig(dir, { intervalMinutes: 1 });
  const store = openAsyncStore({ stateDir: dir });
  try {
    await ingest({ path: writeCommunityFeed(tempDir(), activities), store, config: loadConfig(dir) });
  } finally {
    await store.close();
  }
  await connectToEmulator(dir, emu);
  return dir;
}

const fastClock = (): (() => Date) => {
  let t = Date.now();
  return () => new Date((t += 61_000));
};

function orgIds(sobject: string): string[] {
  return emu.org.records(sobject).map((r) => String(r[ActivityFields.Tightknit_Id]));
}

describe('pause and resume', () => {
  it('a pause survives a restart of start, and both show in the history', async () => {
    const dir = await prepared(8);
    await setPaused({ stateDir: dir, paused: true, reason: 'quarter close' });

    const stop = new AbortController();
    const events: ScheduleEvent['type'][] = [];
    setTimeout(() => stop.abort(), 300);
    const first = await runSchedule({
      stateDir: dir,
      key: KEYS,
      signal: stop.signal,
      tickMs: 20,
      tuning: FAST,
      onEvent: (e) => events.push(e.type),
    });
    expect(first.runs).toHaveLength(0);
    expect(events).toEqual(['started', 'paused', 'stopped']);
    expect(readScheduleState(dir).paused).toBe(true);

    await setPaused({ stateDir: dir, paused: false });
    const second = await runSchedule({
      stateDir: dir,
      key: KEYS,
      signal: new AbortController().signal,
      tickMs: 20,
      tuning: FAST,
      maxRuns: 1,
    });
    expect(second.runs.map((r) => r.type)).toEqual(['backfill']);

    const store = openAsyncStore({ stateDir: dir });
    try {
      const types = (await listEvents(store, 20)).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['paused', 'resumed', 'stopped']));
    } finally {
      await store.close();
    }
  });

  it('takes effect on the next tick of a running scheduler', async () => {
    const dir = await prepared(8);
    const events: ScheduleEvent[] = [];
    let pausedOnce = false;
    // The pause file is written when setPaused is called (its history line follows): the handler stays synchronous.
    const pausing: Array<Promise<unknown>> = [];
    const result = await runSchedule({
      stateDir: dir,
      key: KEYS,
      signal: new AbortController().signal,
      tickMs: 20,
      tuning: FAST,
      clock: fastClock(),
      maxRuns: 2,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'run-finished' && !pausedOnce) {
          pausedOnce = true;
          pausing.push(setPaused({ stateDir: dir, paused: true }));
          setTimeout(() => pausing.push(setPaused({ stateDir: dir, paused: false })), 150);
        }
      },
    });
    await Promise.all(pausing);
    expect(result.runs.map((r) => r.type)).toEqual(['backfill', 'incremental']);
    const seq = events
      .map((e) => (e.type === 'run-started' ? `run:${e.runType}` : e.type))
      .filter((t) => t !== 'waiting');
    expect(seq).toEqual([
      'started',
      'run:backfill',
      'run-finished',
      'paused',
      'resumed',
      'run:incremental',
      'run-finished',
      'stopped',
    ]);
  });
});

describe('signals', () => {
  it('stops mid-run without losing or duplicating records, and a restart finishes the work', async () => {
    const dir = await prepared(400);
    const stop = new AbortController();
    const first = await runSchedule({
      stateDir: dir,
      key: KEYS,
      signal: stop.signal,
      tickMs: 20,
      tuning: { ...FAST, collectionsThreshold: 0 },
      onProgress: (p) => {
        if (p.object === 'activity' && p.phase === 'uploading') stop.abort();
      },
    });
    expect(first.reason).toBe('signal');
    expect(first.runs).toHaveLength(1);
    expect(first.runs[0].status).toBe('Stopped');
    acquireLock(dir, 'test').release();

    const second = await runSchedule({
      stateDir: dir,
      key: KEYS,
      signal: new AbortController().signal,
      tickMs: 20,
      tuning: FAST,
      maxRuns: 1,
    });
    expect(second.runs[0].status).toBe('Succeeded');

    // Every activity of the community is in the org exactly once (ids are stable across the shared org).
    const counts = new Map<string, number>();
    for (const id of orgIds(SObjects.Activity)) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (let k = 0; k < 400; k++) expect(counts.get(`slack:T1:C1:${k}`)).toBe(1);
    const members = emu.org.records(SObjects.Member).map((m) => String(m[MemberFields.Tightknit_Id]));
    expect(new Set(members).size).toBe(members.length);
  });
});

describe('a revoked connection', () => {
  it('stops scheduled syncs with a reconnect message', async () => {
    const dir = await prepared(8);
    const tokens = emu.issueTokens('integration');
    await saveCredentials(
      {
        method: 'web',
        loginUrl: emu.loginUrl,
        instanceUrl: emu.instanceUrl,
        clientId: emu.clientId,
        connectedAt: new Date().toISOString(),
        secrets: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
      },
      { stateDir: dir, ...KEYS },
    );
    await fetch(`${emu.loginUrl}/services/oauth2/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: tokens.refreshToken }),
    });

    const run = runSchedule({
      stateDir: dir,
      key: KEYS,
      signal: new AbortController().signal,
      tickMs: 20,
      tuning: FAST,
      maxRuns: 1,
    });
    await expect(run).rejects.toBeInstanceOf(OrgRefusedError);
    await expect(run).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REVOKED' });
    const store = openAsyncStore({ stateDir: dir });
    try {
      expect((await listEvents(store, 5))[0]).toMatchObject({ type: 'stopped' });
      expect((await listEvents(store, 5))[0].message).toContain('refresh token');
    } finally {
      await store.close();
    }
  });

  it('notices the revocation at the next run even when there is nothing to push', async () => {
    const dir = await prepared(8);
    const tokens = emu.issueTokens('integration');
    await saveCredentials(
      {
        method: 'web',
        loginUrl: emu.loginUrl,
        instanceUrl: emu.instanceUrl,
        clientId: emu.clientId,
        connectedAt: new Date().toISOString(),
        secrets: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
      },
      { stateDir: dir, ...KEYS },
    );
    const first = await runSchedule({
      stateDir: dir,
      key: KEYS,
      signal: new AbortController().signal,
      tickMs: 20,
      tuning: FAST,
      maxRuns: 1,
    });
    expect(first.runs[0]).toMatchObject({ type: 'backfill', status: 'Succeeded' });
    await fetch(`${emu.loginUrl}/services/oauth2/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: tokens.refreshToken }),
    });
    const second = runSchedule({
      stateDir: dir,
      key: KEYS,
      signal: new AbortController().signal,
      tickMs: 20,
      tuning: FAST,
      maxRuns: 1,
      clock: fastClock(),
    });
    await expect(second).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REVOKED' });
  });
});

describe('operator requests', () => {
  it('runs a requested retry between scheduled runs, even while paused, without moving the schedule', async () => {
    const dir = await prepared(8);
    emu.setFaults({ lockRowRate: 1 });
    let failedRun: number;
    try {
      const first = await runSchedule({
        stateDir: dir,
        key: KEYS,
        signal: new AbortController().signal,
        tickMs: 20,
        tuning: { ...FAST, lockRetries: 0, collectionsThreshold: 0 },
        maxRuns: 1,
      });
      expect(first.runs[0]).toMatchObject({ type: 'backfill', status: 'Failed' });
      failedRun = first.runs[0].runId;
    } finally {
      emu.setFaults({ lockRowRate: 0 });
    }
    await setPaused({ stateDir: dir, paused: true });
    const requests = [{ type: 'retry' as const, runId: failedRun }];
    const events: ScheduleEvent[] = [];
    const second = await runSchedule({
      stateDir: dir,
      key: KEYS,
      signal: new AbortController().signal,
      tickMs: 20,
      tuning: FAST,
      maxRuns: 1,
      takeRequest: () => requests.shift(),
      onEvent: (e) => events.push(e),
    });
    expect(second.runs[0]).toMatchObject({ type: 'retry', status: 'Succeeded' });
    expect(events).toContainEqual({ type: 'run-started', runType: 'retry', retryOf: failedRun });
    expect(orgIds(SObjects.Member).sort()).toEqual([...Array(8).keys()].map((i) => `slack:T1:U${i}`).sort());
    expect(requests).toHaveLength(0);
  });
});
