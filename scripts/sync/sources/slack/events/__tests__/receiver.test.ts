import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openAsyncStore } from '../../../../store';
import type { Delivery } from '../accept';
import { startEventReceiver, type EventReceiver, type ReceiverLogEntry } from '../receiver';
import { SECRET, envelope, postSigned, tempDir } from './helpers';

describe('Events API receiver', () => {
  let stateDir: string;
  let receiver: EventReceiver;
  let logs: ReceiverLogEntry[];
  let deliveries: Delivery[];

  beforeEach(async () => {
    stateDir = tempDir();
    logs = [];
    deliveries = [];
    receiver = await startEventReceiver({
      stateDir,
      signingSecret: SECRET,
      port: 0,
      log: (e) => logs.push(e),
      onEvent: (d) => deliveries.push(d),
    });
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('answers url_verification with the challenge and stores nothing', async () => {
    const res = await postSigned(receiver.url, { token: 't', challenge: 'c-123', type: 'url_verification' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'c-123' });
    expect((await receiver.inbox.counts()).pending).toBe(0);
  });

  it('stores a signed event before answering 200, with its raw body', async () => {
    const env = envelope({ eventId: 'Ev0001' });
    const raw = JSON.stringify(env);
    const res = await postSigned(receiver.url, raw);
    expect(res.status).toBe(200);
    const [stored] = await receiver.inbox.pending(10);
    expect(stored).toMatchObject({ eventId: 'Ev0001', teamId: 'T0TEST', type: 'message', body: raw });
    expect(deliveries).toEqual([{ outcome: 'stored', eventId: 'Ev0001', type: 'message' }]);
  });

  it('stores a retried event_id once and still answers 200', async () => {
    const env = envelope({ eventId: 'EvRetry', type: 'reaction_added' });
    expect((await postSigned(receiver.url, env)).status).toBe(200);
    expect((await postSigned(receiver.url, env, { retryNum: 1 })).status).toBe(200);
    expect((await postSigned(receiver.url, env, { retryNum: 2 })).status).toBe(200);
    expect((await receiver.inbox.pending(10)).map((e) => e.eventId)).toEqual(['EvRetry']);
    expect(receiver.stats()).toMatchObject({ stored: 1, duplicates: 2 });
  });

  it.each([
    ['a bad signature', { secret: 'not-the-secret' }],
    ['a stale timestamp', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
    ['no signature', { signature: '' }],
  ])('answers 401 and stores nothing for %s', async (_name, opts) => {
    const res = await postSigned(receiver.url, envelope(), opts);
    expect(res.status).toBe(401);
    expect(await receiver.inbox.counts()).toMatchObject({ pending: 0, applied: 0 });
    expect(deliveries).toEqual([]);
    expect(receiver.stats().rejected).toBe(1);
    expect(logs.some((l) => l.event === 'rejected')).toBe(true);
  });

  it('answers 400 to a signed malformed body and logs the cause only', async () => {
    const secretish = 'xoxb-should-never-be-logged';
    const res = await postSigned(receiver.url, `{"type":"event_callback","token":"${secretish}"`);
    expect(res.status).toBe(400);
    const res2 = await postSigned(receiver.url, { type: 'event_callback', event: { type: 'message' } });
    expect(res2.status).toBe(400);
    expect(logs.filter((l) => l.event === 'malformed').map((l) => l.message)).toEqual([
      'Refused a signed request: the body is not valid JSON.',
      'Refused a signed request: event_callback without "event_id".',
    ]);
    expect(JSON.stringify(logs)).not.toContain(secretish);
    expect(JSON.stringify(logs)).not.toContain(SECRET);
    expect((await receiver.inbox.counts()).pending).toBe(0);
  });

  it('acknowledges an unknown event type with 200 and counts it without storing it', async () => {
    const res = await postSigned(receiver.url, envelope({ type: 'emoji_changed' }));
    expect(res.status).toBe(200);
    await postSigned(receiver.url, envelope({ type: 'emoji_changed' }));
    expect(await receiver.inbox.counts()).toMatchObject({ pending: 0, unknownTypes: 2 });
    expect(await receiver.inbox.unknownTypes()).toEqual({ emoji_changed: 2 });
  });

  it('answers 404 elsewhere and 405 to other methods', async () => {
    expect((await fetch(receiver.url.replace('/slack/events', '/'))).status).toBe(404);
    expect((await fetch(receiver.url)).status).toBe(405);
  });

  it('waits for another process committing to the store instead of failing with SQLITE_BUSY', async () => {
    // Another process (a push) holds the write lock for 400 ms; better-sqlite3 is synchronous, so it
    // must be a real second process for the receiver's busy timeout to be what resolves it.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]); db.exec('BEGIN IMMEDIATE');
         process.stdout.write('locked\\n'); setTimeout(() => { db.exec('COMMIT'); db.close(); }, 400);`,
        join(stateDir, 'store.db'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((resolve) => createInterface({ input: holder.stdout }).once('line', resolve));
    const started = Date.now();
    const res = await postSigned(receiver.url, envelope({ eventId: 'EvBusy' }));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThan(100);
    expect((await receiver.inbox.pending(10)).map((e) => e.eventId)).toEqual(['EvBusy']);
    await new Promise((r) => (holder.exitCode === null ? holder.once('exit', r) : r(undefined)));
  });
});

describe('Events API receiver durability', () => {
  it('keeps every acknowledged event when the process is killed right after the 200', async () => {
    const stateDir = tempDir();
    const child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', join(__dirname, 'fixtures', 'receiver-child.ts'), stateDir, SECRET],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`receiver exited with ${code}`)));
      });
      const ids = Array.from({ length: 20 }, (_v, i) => `EvKill${i}`);
      const answers = await Promise.all(ids.map((id) => postSigned(url, envelope({ eventId: id }))));
      expect(answers.map((r) => r.status)).toEqual(ids.map(() => 200));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const store = openAsyncStore({ stateDir });
      try {
        const got = (await store.inbox.pending(100)).map((e) => e.eventId);
        expect(got.sort()).toEqual([...ids].sort());
      } finally {
        await store.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
