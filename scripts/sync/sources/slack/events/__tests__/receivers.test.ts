import { openAsyncStore, type AsyncReceivers, type AsyncStore } from '../../../../store';
import { currentReceiver, SILENT_AFTER_MS, BEAT_EVERY_MS } from '../receivers';
import { keepInbox } from '../upkeep';

describe('receivers say they are alive', () => {
  let store: AsyncStore;
  let receivers: AsyncReceivers;
  const t0 = new Date('2026-12-02T10:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const now = async (ms: number, mode: 'http' | 'socket-mode' = 'http') =>
    currentReceiver(await receivers.all(), mode, at(ms));
  beforeEach(() => {
    store = openAsyncStore({ file: ':memory:' });
    receivers = store.receivers;
  });
  afterEach(() => store.close());

  it('receiving while heard from, silent after SILENT_AFTER_MS without a word, stopped once closed', async () => {
    expect((await now(0)).state).toBe('none');
    const a = await receivers.started('http', 'http://127.0.0.1:3000/slack/events', t0);
    expect(await now(SILENT_AFTER_MS)).toMatchObject({ state: 'receiving', record: { token: a, pid: process.pid } });
    expect((await now(SILENT_AFTER_MS + 1)).state).toBe('silent');
    await receivers.alive(a, at(SILENT_AFTER_MS));
    expect((await now(SILENT_AFTER_MS + 1)).state).toBe('receiving');
    await receivers.stopped(a, at(SILENT_AFTER_MS + 2));
    expect(await now(SILENT_AFTER_MS + 3)).toMatchObject({ state: 'stopped', record: { token: a } });
    // A heartbeat from far in the future (a clock stepped back since) does not keep a receiver alive.
    await receivers.started('http', 'http://127.0.0.1:3001/slack/events', at(10 * SILENT_AFTER_MS));
    expect(await now(0)).toMatchObject({ state: 'silent', record: { address: 'http://127.0.0.1:3001/slack/events' } });
  });

  it('a second receiver never hides the first: the first one still running keeps the state receiving', async () => {
    const first = await receivers.started('http', 'http://10.0.0.1:3000/slack/events', t0);
    const second = await receivers.started('http', 'http://127.0.0.1:40000/slack/events', at(1000));
    expect((await now(2000)).running.map((r) => r.token).sort()).toEqual([first, second].sort());
    await receivers.stopped(second, at(3000));
    await receivers.alive(first, at(SILENT_AFTER_MS));
    expect(await now(SILENT_AFTER_MS + 10)).toMatchObject({ state: 'receiving', record: { token: first } });
  });

  it('counts only the configured mode, and names a receiver of the other mode', async () => {
    await receivers.started('http', 'http://127.0.0.1:3000/slack/events', t0);
    const socket = await now(0, 'socket-mode');
    expect(socket.state).toBe('none');
    expect(socket.otherMode?.mode).toBe('http');
  });

  it('marks receivers covered by a complete read, and forgets receivers gone for a week', async () => {
    const a = await receivers.started('socket-mode', 'Socket Mode', t0);
    expect((await now(0, 'socket-mode')).record?.covered).toBe(false);
    await receivers.covered([a]);
    expect((await now(0, 'socket-mode')).record?.covered).toBe(true);
    await receivers.stopped(a, at(1000));
    await receivers.started('socket-mode', 'Socket Mode', at(8 * 24 * 3600 * 1000));
    expect(await receivers.all()).toHaveLength(1);
  });

  it('a running receiver beats every BEAT_EVERY_MS and records its stop', async () => {
    jest.useFakeTimers({ now: t0 });
    try {
      const stop = await keepInbox(
        { inbox: store.inbox, store, close: async () => undefined },
        'http',
        'http://x/slack/events',
      );
      jest.advanceTimersByTime(10 * BEAT_EVERY_MS);
      expect(currentReceiver(await receivers.all(), 'http', new Date()).state).toBe('receiving');
      expect((await receivers.all())[0].seenAt).toBe(new Date().toISOString());
      await stop();
      expect(currentReceiver(await receivers.all(), 'http', new Date()).state).toBe('stopped');
    } finally {
      jest.useRealTimers();
    }
  });
});
