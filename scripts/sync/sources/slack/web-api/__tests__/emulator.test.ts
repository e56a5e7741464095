import { LogLevel, WebClient } from '@slack/web-api';
import { startSlackEmulator, type SlackEmulator, type SlackEmulatorOptions } from '../../../../../slack-emulator';
import type { AsyncStore } from '../../../../store';
import { startEventReceiver, type EventReceiver } from '../../events/receiver';
import { NOW, cleanup, newStore, tempDir } from '../../../__tests__/helpers';
import { ACTIVE_DAYS, SLACK_CLIENT_OPTIONS, SlackAuthError, applySlackEvents, readSlackWorkspace } from '..';

/** The reader against the Slack emulator over HTTP, through the official WebClient. */
describe('live Slack source against the emulator', () => {
  let dir: string;
  let store: AsyncStore;
  let emu: SlackEmulator;

  const client = (e: SlackEmulator): WebClient =>
    new WebClient(e.botToken, {
      slackApiUrl: e.apiUrl,
      logLevel: LogLevel.ERROR,
      ...SLACK_CLIENT_OPTIONS,
      retryConfig: { retries: 10, minTimeout: 10, maxTimeout: 100 },
    });
  const start = async (opts: SlackEmulatorOptions = {}): Promise<SlackEmulator> => {
    emu = await startSlackEmulator(opts);
    return emu;
  };
  const read = (extra: Partial<Parameters<typeof readSlackWorkspace>[0]> = {}) =>
    readSlackWorkspace({ store, client: client(emu), now: NOW, ...extra });
  const diff = (before: Record<string, number>, after: Record<string, number>): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(after)) if (v !== (before[k] ?? 0)) out[k] = v - (before[k] ?? 0);
    return out;
  };

  beforeEach(() => {
    dir = tempDir();
    store = newStore(dir);
  });

  afterEach(async () => {
    await emu?.close();
    await store.close();
    cleanup(dir);
  });

  it('reads the workspace, skips the channel the bot is not in, and a second poll adds nothing with one call per channel', async () => {
    await start();
    const first = await read();
    const communityId = `slack:${emu.teamId}`;
    expect(first.communityId).toBe(communityId);
    expect(first.channelsSkipped.map((c) => c.name)).toEqual(['random']);
    expect(first.activities.new).toBeGreaterThan(10);
    expect(first.members.new).toBeGreaterThanOrEqual(8);
    expect((await store.getCommunity(communityId))?.row).toMatchObject({
      name: 'Acme Community',
      slackDomain: 'acme-community',
    });
    const gone = (await store.changedMembers(0, 1000)).find((m) => m.row.slackUserId === 'U0EMUGONE1');
    expect(gone?.row.status).toBe('Deleted');

    // Polls a day after the newest message: the channels with recent messages are the active ones.
    const newest = Math.max(...(await store.changedActivities(0, 10_000)).map((a) => Date.parse(a.row.occurredAt)));
    const later = new Date(newest + 86_400_000);
    const seq = await store.maxSeq();
    const before = emu.calls();
    const second = await read({ teamId: emu.teamId, now: later });
    expect(second.activities).toEqual({ new: 0, changed: 0, unchanged: 0 });
    expect(await store.maxSeq()).toBe(seq);
    // Active: a message in the last ACTIVE_DAYS days (the others are checked once a day).
    const active = (await store.slackCursors.channels(communityId)).filter(
      (c) => (c.lastMessageMs ?? 0) >= later.getTime() - ACTIVE_DAYS * 86_400_000,
    ).length;
    expect(active).toBeGreaterThan(0);
    expect(active).toBeLessThan(first.channels);
    expect(diff(before, emu.calls())).toEqual({ 'conversations.history': active });

    const all = emu.calls();
    const third = await read({ teamId: emu.teamId, channels: 'all', now: later });
    expect(third.activities).toEqual({ new: 0, changed: 0, unchanged: 0 });
    expect(diff(all, emu.calls())).toEqual({ 'conversations.history': first.channels });
  });

  it('private channels only when asked, and only those the bot is in', async () => {
    await start();
    await read({ includePrivate: true });
    const ids = new Set((await store.changedActivities(0, 10_000)).map((a) => a.row.channelId));
    expect(ids.has('G0EMULEADS')).toBe(true);
  });

  it('applies the events of changes made in Slack, delivered signed to the receiver', async () => {
    await start();
    await read();
    const receiver: EventReceiver = await startEventReceiver({
      store,
      signingSecret: emu.signingSecret,
      port: 0,
    });
    try {
      emu.setEventsUrl(receiver.url);
      const { ts } = await emu.postMessage({ channel: 'C0EMUHELP1', user: 'U0EMUALICE', text: 'Live ✓ 你好' });
      await emu.postMessage({ channel: 'C0EMUHELP1', user: 'U0EMUBRUNO', text: 'reply', thread_ts: ts });
      await emu.addReaction('C0EMUHELP1', ts, 'U0EMUBRUNO', 'rocket');
      await emu.editMessage('C0EMUHELP1', ts, 'Live ✓ 你好 (edited)');
      await emu.addUser({ id: 'U0EMUNEW01', name: 'newbie', real_name: 'New Bie', email: 'new@acme.example' });
      await emu.renameChannel('C0EMUHELP1', 'support');
      const result = await applySlackEvents({ store, inbox: receiver.inbox, now: NOW });
      expect(result.applied).toBeGreaterThanOrEqual(5);
      const c = `slack:${emu.teamId}`;
      expect((await store.getActivity(`${c}:C0EMUHELP1:${ts}`))?.row.metadata).toContain('(edited)');
      expect((await store.getActivity(`${c}:C0EMUHELP1:${ts}:reaction:rocket:U0EMUBRUNO`))?.deleted).toBe(false);
      expect((await store.getMember(`${c}:U0EMUNEW01`))?.row.name).toBe('New Bie');

      await emu.deleteMessage('C0EMUHELP1', ts);
      await applySlackEvents({ store, inbox: receiver.inbox, now: NOW });
      expect((await store.getActivity(`${c}:C0EMUHELP1:${ts}`))?.deleted).toBe(true);
      // The poll after the events finds the same messages: nothing duplicated.
      const poll = await read({ teamId: emu.teamId });
      expect(poll.activities.new).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('a revoked token stops the read with SlackAuthError (exit 3)', async () => {
    await start();
    emu.revokeToken();
    const err = (await read().catch((e: unknown) => e)) as SlackAuthError;
    expect(err).toBeInstanceOf(SlackAuthError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain('token_revoked');
  });

  it('completes under Tier rate limits and under the 2025 non-Marketplace limits, slower', async () => {
    await start({ rateLimits: 'marketplace', timeScale: 60 });
    const started = Date.now();
    const summary = await read();
    expect(summary.channelsSkipped.map((c) => c.name)).toEqual(['random']);
    expect(summary.activities.new).toBeGreaterThan(10);
    expect(Date.now() - started).toBeGreaterThan(1000);
    await emu.close();

    const other = newStore(`${dir}/tiers`);
    try {
      emu = await startSlackEmulator({ rateLimits: 'tiers', timeScale: 60 });
      const tiers = await readSlackWorkspace({ store: other, client: client(emu), now: NOW });
      expect(tiers.activities.new).toBe(summary.activities.new);
    } finally {
      await other.close();
    }
  }, 60_000);
});
