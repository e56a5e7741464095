import { startEmulator, type RunningEmulator } from '../../../org-emulator';
import { startSlackEmulator, type SlackEmulator } from '../../../slack-emulator';
import { ActivityFields, SObjects } from '../../../generated/sobjects';
import { loadConfig, updateConfig } from '../../config';
import { openAsyncStore } from '../../store';
import { liveSourceStatus, RECONCILE_EVERY_MS, type SourceCatchUp } from '../live-source';
import { startLiveReceiver } from '../live-receiver';
import { syncOnce } from '../run';
import { runSchedule, type ScheduleEvent } from '../schedule';
import { connectSlack } from '../slack-connect';
import { connectToEmulator, FAST, KEYS, tempDir } from './fixtures';

let org: RunningEmulator;
let slack: SlackEmulator;
beforeEach(async () => {
  org = await startEmulator();
  slack = await startSlackEmulator();
});
afterEach(async () => {
  await slack.close();
  await org.close();
});

/** A state directory connected to the org and to the emulated Slack workspace, with nothing ingested. */
async function connected(): Promise<string> {
  const dir = tempDir();
  updateConfig(dir, { intervalMinutes: 1 });
  await connectToEmulator(dir, org);
  await connectSlack({
    stateDir: dir,
    ...KEYS,
    botToken: slack.botToken,
    signingSecret: slack.signingSecret,
    slackApiUrl: slack.apiUrl,
  });
  return dir;
}

const activityIds = (): Set<string> =>
  new Set(org.org.records(SObjects.Activity).map((r) => String(r[ActivityFields.Tightknit_Id])));

describe('the live Slack source in sync and start', () => {
  const saved = process.env.TIGHTKNIT_SLACK_API_URL;
  beforeEach(() => {
    process.env.TIGHTKNIT_SLACK_API_URL = slack.apiUrl;
  });
  afterEach(() => {
    process.env.TIGHTKNIT_SLACK_API_URL = saved;
  });

  it('sync reads the workspace (first import, then a poll of active channels) and pushes what is new', async () => {
    const dir = await connected();
    const caught: string[] = [];
    // The fixture's messages are from November 2025: "now" then, its channels count as active.
    const now = new Date('2025-11-20T12:00:00.000Z');
    const first = await syncOnce({
      stateDir: dir,
      key: KEYS,
      now,
      tuning: FAST,
      onSourceCaughtUp: (c) => caught.push(`${c.read?.activities.new ?? 0}`),
    });
    expect(first.type).toBe('backfill');
    expect(first.status).toBe('Succeeded');
    expect(Number(caught[0])).toBeGreaterThan(0);
    expect(first.objects.activity.failed).toBe(0);
    expect(first.objects.activity.succeeded).toBeGreaterThan(0);

    const { ts } = await slack.postMessage({
      channel: 'C0EMUGENRL',
      user: 'U0EMUALICE',
      text: 'Posted between two runs ✨',
    });
    const second = await syncOnce({ stateDir: dir, key: KEYS, tuning: FAST, now });
    expect(second.type).toBe('incremental');
    expect(activityIds()).toContain(`slack:${slack.teamId}:C0EMUGENRL:${ts}`);

    const store = openAsyncStore({ stateDir: dir });
    try {
      const status = await liveSourceStatus(dir, store, loadConfig(dir), now);
      expect(status).toMatchObject({ connected: true, events: 'off', firstImportDone: true, pendingEvents: 0 });
      expect(status.lagSeconds).toBeLessThan(60);
    } finally {
      await store.close();
    }
  });

  it('start --listen: events received in-process go with the next scheduled run; a revoked token stops it (exit 3)', async () => {
    const dir = await connected();
    const config = loadConfig(dir);
    const receiver = await startLiveReceiver({ stateDir: dir, config, key: KEYS, http: { port: 0 } });
    expect(receiver?.mode).toBe('http');
    slack.setEventsUrl(receiver!.where);
    let t = Date.now();
    const stop = new AbortController();
    const events: ScheduleEvent[] = [];
    let posted = '';
    try {
      const done = runSchedule({
        stateDir: dir,
        key: KEYS,
        signal: stop.signal,
        tickMs: 10,
        tuning: FAST,
        liveEvents: 'http',
        clock: () => new Date((t += 61_000)),
        onEvent: (e) => {
          events.push(e);
          // After the backfill, a member posts; the event is stored by the receiver before the next run.
          if (e.type === 'run-finished' && e.summary.type === 'backfill')
            void slack
              .postMessage({ channel: 'C0EMUGENRL', user: 'U0EMUBRUNO', text: 'Hola 👋' })
              .then((r) => (posted = r.ts));
          if (e.type === 'run-finished' && posted && activityIds().has(`slack:${slack.teamId}:C0EMUGENRL:${posted}`))
            stop.abort();
        },
      });
      setTimeout(() => stop.abort(), 20_000);
      await done;
    } finally {
      await receiver?.close();
    }
    expect(activityIds()).toContain(`slack:${slack.teamId}:C0EMUGENRL:${posted}`);
    const caught = events.filter((e) => e.type === 'source-caught-up');
    expect(caught.length).toBeGreaterThanOrEqual(2);
    // The first import read the Web API; later catch-ups only apply events (no polling with events on).
    const later = caught.slice(1).map((e) => (e.type === 'source-caught-up' ? e.catchUp : null));
    expect(later.every((c) => c?.read === null)).toBe(true);
    expect(later.some((c) => (c?.eventsApplied ?? 0) > 0)).toBe(true);

    slack.revokeToken();
    await expect(
      runSchedule({ stateDir: dir, key: KEYS, signal: new AbortController().signal, tickMs: 10, tuning: FAST }),
    ).rejects.toMatchObject({ code: 'SLACK_AUTH_FAILED', exitCode: 3 });
  });

  it('events on but no receiver running (never started, closed): each run reads the Web API, and the status says so', async () => {
    const dir = await connected();
    updateConfig(dir, { slack: { events: 'http' } });
    const caught: SourceCatchUp[] = [];
    // The fixture's messages are from November 2025: "now" then, its channels count as active.
    const now = new Date('2025-11-20T12:00:00.000Z');
    const run = (at = now) =>
      syncOnce({ stateDir: dir, key: KEYS, tuning: FAST, now: at, onSourceCaughtUp: (c) => caught.push(c) });
    const post = async (text: string) =>
      `slack:${slack.teamId}:C0EMUGENRL:${(await slack.postMessage({ channel: 'C0EMUGENRL', user: 'U0EMUALICE', text })).ts}`;
    const status = async (at = new Date()) => {
      const store = openAsyncStore({ stateDir: dir });
      try {
        return await liveSourceStatus(dir, store, loadConfig(dir), at);
      } finally {
        await store.close();
      }
    };
    await run();
    expect((await status()).receiver.state).toBe('none');

    // No receiver was ever started: the message is read by a poll.
    const unheard = await post('Nobody listens for events');
    await run();
    expect(caught[1]).toMatchObject({ receiverMissing: true });
    expect(caught[1].read).not.toBeNull();
    expect(activityIds()).toContain(unheard);
    // Nothing arrives as events, so the store is as recent as that poll.
    expect((await status(new Date(now.getTime() + 30_000))).lagSeconds).toBe(30);

    // A receiver starts: the next run still reads the Web API once (what was posted before it started can
    // only come that way), then the receiver is trusted: within the hour, runs only apply what it stored.
    const receiver = await startLiveReceiver({ stateDir: dir, config: loadConfig(dir), key: KEYS, http: { port: 0 } });
    let closed = false;
    try {
      expect((await status()).receiver).toMatchObject({ state: 'receiving', mode: 'http', address: receiver!.where });
      const before = await post('Posted just before the receiver started');
      await run();
      expect(caught[2]).toMatchObject({ receiverMissing: false });
      expect(caught[2].read).not.toBeNull();
      expect(activityIds()).toContain(before);
      // Slack was never told this receiver's URL: this message waits for it or the hourly reconciliation.
      const missed = await post('Sent while the receiver was not subscribed');
      await run();
      expect(caught[3]).toMatchObject({ receiverMissing: false, read: null });
      expect(activityIds()).not.toContain(missed);
      expect((await status(new Date(now.getTime() + 30_000))).lagSeconds).toBe(0);

      // An hour after the last read, a reconciliation poll catches what events missed.
      const hourLater = new Date(now.getTime() + RECONCILE_EVERY_MS);
      await run(hourLater);
      expect(caught[4]).toMatchObject({ receiverMissing: false });
      expect(caught[4].read).not.toBeNull();
      expect(activityIds()).toContain(missed);

      // The receiver closes: the next run polls again.
      await receiver!.close();
      closed = true;
      expect((await status()).receiver.state).toBe('stopped');
      const afterClose = await post('Posted after the receiver stopped');
      await run(hourLater);
      expect(caught[5]).toMatchObject({ receiverMissing: true });
      expect(caught[5].read).not.toBeNull();
      expect(activityIds()).toContain(afterClose);
    } finally {
      if (!closed) await receiver?.close();
    }
  });
});
