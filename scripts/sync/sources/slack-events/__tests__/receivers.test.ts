import { openStore, type Receivers, type Store } from '../../../store';
import { currentReceiver, SILENT_AFTER_MS, BEAT_EVERY_MS } from '../receivers';
import { keepInbox } from '../upkeep';

describe('receivers say they are alive', () => {
  let store: Store;
  let receivers: Receivers;
  const t0 = new Date('2026-12-02T10:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const now = (ms: number, mode: 'http' | 'socket-mode' = 'http') => currentReceiver(receivers.all(), mode, at(ms));
  beforeEach(() => {
    store = openStore({ file: ':memory:' });
    receivers = store.receivers;
  });
  afterEach(() => store.close());

  it('receiving while heard from, silent after SILENT_AFTER_MS without a word, stopped once closed', () => {
    expect(now(0).state).toBe('none');
    const a = receivers.started('http', 'http://127.0.0.1:3000/slack/events', t0);
    expect(now(SILENT_AFTER_MS)).toMatchObject({ state: 'receiving', record: { token: a, pid: process.pid } });
    expect(now(SILENT_AFTER_MS + 1).state).toBe('silent');
    receivers.alive(a, at(SILENT_AFTER_MS));
    expect(now(SILENT_AFTER_MS + 1).state).toBe('receiving');
    receivers.stopped(a, at(SILENT_AFTER_MS + 2));
    expect(now(SILENT_AFTER_MS + 3)).toMatchObject({ state: 'stopped', record: { token: a } });
    // A heartbeat from far in the future (a clock stepped back since) does not keep a receiver alive.
    receivers.started('http', 'http://127.0.0.1:3001/slack/events', at(10 * SILENT_AFTER_MS));
    expect(now(0)).toMatchObject({ state: 'silent', record: { address: 'http://127.0.0.1:3001/slack/events' } });
  });

  it('a second receiver never hides the first: the first one still running keeps the state receiving', () => {
    const first = receivers.started('http', 'http://10.0.0.1:3000/slack/events', t0);
    const second = receivers.started('http', 'http://127.0.0.1:40000/slack/events', at(1000));
    expect(
      now(2000)
        .running.map((r) => r.token)
        .sort(),
    ).toEqual([first, second].sort());
    receivers.stopped(second, at(3000));
    receivers.alive(first, at(SILENT_AFTER_MS));
    expect(now(SILENT_AFTER_MS + 10)).toMatchObject({ state: 'receiving', record: { token: first } });
  });

  it('counts only the configured mode, and names a receiver of the other mode', () => {
    receivers.started('http', 'http://127.0.0.1:3000/slack/events', t0);
    const socket = now(0, 'socket-mode');
    expect(socket.state).toBe('none');
    expect(socket.otherMode?.mode).toBe('http');
  });

  it('marks receivers covered by a complete read, and forgets receivers gone for a week', () => {
    const a = receivers.started('socket-mode', 'Socket Mode', t0);
    expect(now(0, 'socket-mode').record?.covered).toBe(false);
    receivers.covered([a]);
    expect(now(0, 'socket-mode').record?.covered).toBe(true);
    receivers.stopped(a, at(1000));
    receivers.started('socket-mode', 'Socket Mode', at(8 * 24 * 3600 * 1000));
    expect(receivers.all()).toHaveLength(1);
  });

  it('a running receiver beats every BEAT_EVERY_MS and records its stop', () => {
    jest.useFakeTimers({ now: t0 });
    try {
      const stop = keepInbox({ inbox: store.inbox, store, close: () => undefined }, 'http', 'http://x/slack/events');
      jest.advanceTimersByTime(10 * BEAT_EVERY_MS);
      expect(currentReceiver(receivers.all(), 'http', new Date()).state).toBe('receiving');
      expect(receivers.all()[0].seenAt).toBe(new Date().toISOString());
      stop();
      expect(currentReceiver(receivers.all(), 'http', new Date()).state).toBe('stopped');
    } finally {
      jest.useRealTimers();
    }
  });
});
