import { WebClient } from '@slack/web-api';
import { SlackEmulator, startSlackEmulator } from '../index';
import { startReceiver, verifySlackSignature } from './helpers';

describe('Slack emulator event delivery (Events API over HTTP)', () => {
  let emu: SlackEmulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  afterEach(async () => {
    await emu.close();
    await receiver.close();
  });

  it('delivers each change as a signed event_callback and updates what the Web API serves', async () => {
    receiver = await startReceiver();
    emu = await startSlackEmulator({ timeScale: 1000 });
    emu.setEventsUrl(receiver.url);
    const client = new WebClient(emu.botToken, { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } });

    const posted = await emu.postMessage({ channel: 'C0EMUGENRL', user: 'U0EMUCHLOE', text: 'Bonjour 🥐' });
    expect(posted.eventId).toMatch(/^Ev[0-9A-Z]+$/);
    const reply = await emu.postMessage({
      channel: 'C0EMUGENRL',
      user: 'U0EMUALICE',
      text: 'Salut',
      thread_ts: posted.ts,
    });
    const reactionId = await emu.addReaction('C0EMUGENRL', posted.ts, 'U0EMUBRUNO', 'croissant');
    const editId = await emu.editMessage('C0EMUGENRL', posted.ts, 'Bonjour à tous 🥐');
    const joinId = await emu.joinChannel('C0EMUHELP1', 'U0EMUYUKI1');
    const userId = await emu.updateUser('U0EMUBRUNO', { email: 'bruno@new.example', title: 'CTO' });
    const newUser = await emu.addUser({
      id: 'U0EMUNEW01',
      name: 'zoe',
      email: 'zoe@acme.example',
      real_name: 'Zoë Park',
    });
    const created = await emu.createChannel({ id: 'C0EMUNEW01', name: 'new-channel' });
    const renamed = await emu.renameChannel('C0EMUNEW01', 'renamed-channel');
    const deleted = await emu.deleteMessage('C0EMUGENRL', reply.ts);
    for (const id of [reactionId, editId, joinId, userId, newUser, created, renamed, deleted])
      expect(id).toMatch(/^Ev/);

    const events = receiver.received.map((r) => r.json);
    expect(receiver.received.every((r) => verifySlackSignature(emu.signingSecret, r))).toBe(true);
    expect(verifySlackSignature('another-secret', receiver.received[0])).toBe(false);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    expect(events[0]).toMatchObject({
      type: 'event_callback',
      team_id: emu.teamId,
      api_app_id: 'A0EMUAPP01',
      event_id: posted.eventId,
      event: {
        type: 'message',
        channel: 'C0EMUGENRL',
        channel_type: 'channel',
        user: 'U0EMUCHLOE',
        text: 'Bonjour 🥐',
        ts: posted.ts,
      },
    });
    expect(events.map((e) => [e.event.type, e.event.subtype])).toEqual([
      ['message', undefined],
      ['message', undefined],
      ['reaction_added', undefined],
      ['message', 'message_changed'],
      ['message', 'channel_join'],
      ['member_joined_channel', undefined],
      ['user_change', undefined],
      ['team_join', undefined],
      ['channel_created', undefined],
      ['channel_rename', undefined],
      ['message', 'message_deleted'],
    ]);
    expect(events[1].event.thread_ts).toBe(posted.ts);
    expect(events[2].event).toMatchObject({
      user: 'U0EMUBRUNO',
      reaction: 'croissant',
      item: { type: 'message', channel: 'C0EMUGENRL', ts: posted.ts },
      item_user: 'U0EMUCHLOE',
    });
    expect(events[3].event).toMatchObject({
      message: { text: 'Bonjour à tous 🥐' },
      previous_message: { text: 'Bonjour 🥐' },
    });
    expect(events[10].event).toMatchObject({ deleted_ts: reply.ts, previous_message: { text: 'Salut' } });

    // The Web API serves the new state.
    const history = await client.conversations.history({ channel: 'C0EMUGENRL', limit: 1 });
    expect(history.messages?.[0]).toMatchObject({ ts: posted.ts, text: 'Bonjour à tous 🥐', reply_count: 0 });
    expect(history.messages?.[0].reactions).toEqual([{ name: 'croissant', users: ['U0EMUBRUNO'], count: 1 }]);
    expect((await client.users.info({ user: 'U0EMUBRUNO' })).user?.profile).toMatchObject({
      email: 'bruno@new.example',
      title: 'CTO',
    });
    expect((await client.users.info({ user: 'U0EMUNEW01' })).user?.real_name).toBe('Zoë Park');
    expect((await client.conversations.info({ channel: 'C0EMUNEW01' })).channel?.name).toBe('renamed-channel');
    expect(emu.deliveries().every((d) => d.outcome === 'delivered' && d.transport === 'http')).toBe(true);
  });

  it('sends no event for a channel the app is not in, and none without a receiver', async () => {
    receiver = await startReceiver();
    emu = await startSlackEmulator();
    expect(
      (await emu.postMessage({ channel: 'C0EMUGENRL', user: 'U0EMUALICE', text: 'nobody listens' })).eventId,
    ).toBeNull();
    emu.setEventsUrl(receiver.url);
    expect(
      (await emu.postMessage({ channel: 'C0EMURANDM', user: 'U0EMUALICE', text: 'bot not here' })).eventId,
    ).toBeNull();
    expect(receiver.received).toHaveLength(0);
  });

  it('retries like Slack: X-Slack-Retry-Num and X-Slack-Retry-Reason after an error or a timeout', async () => {
    // First answer 500, second too slow (over the scaled 3 s timeout, floored at 500 ms), third 200.
    receiver = await startReceiver((n) =>
      n === 0 ? { status: 500 } : n === 1 ? { status: 200, delayMs: 900 } : { status: 200 },
    );
    emu = await startSlackEmulator({ timeScale: 1000, eventsUrl: receiver.url });
    const { eventId } = await emu.postMessage({ channel: 'C0EMUGENRL', user: 'U0EMUALICE', text: 'retry me' });
    await emu.settled();
    const [d] = emu.deliveries();
    expect(d).toMatchObject({ eventId, outcome: 'delivered' });
    expect(d.attempts.map((a) => [a.retryNum, a.ok, a.reason])).toEqual([
      [0, false, 'http_error'],
      [1, false, 'http_timeout'],
      [2, true, undefined],
    ]);
    const retries = receiver.received.map((r) => [r.headers['x-slack-retry-num'], r.headers['x-slack-retry-reason']]);
    expect(retries).toEqual([
      [undefined, undefined],
      ['1', 'http_error'],
      ['2', 'http_timeout'],
    ]);
    expect(new Set(receiver.received.map((r) => r.json.event_id))).toEqual(new Set([eventId]));
    expect(receiver.received.every((r) => verifySlackSignature(emu.signingSecret, r))).toBe(true);
  });

  it('gives up after 3 retries, or at once when the receiver answers X-Slack-No-Retry', async () => {
    receiver = await startReceiver((n) =>
      n < 4 ? { status: 503 } : { status: 400, headers: { 'X-Slack-No-Retry': '1' } },
    );
    emu = await startSlackEmulator({ timeScale: 1000, eventsUrl: receiver.url });
    await emu.postMessage({ channel: 'C0EMUGENRL', user: 'U0EMUALICE', text: 'never accepted' });
    await emu.settled();
    expect(emu.deliveries()[0]).toMatchObject({ outcome: 'failed' });
    expect(emu.deliveries()[0].attempts).toHaveLength(4);
    await emu.postMessage({ channel: 'C0EMUGENRL', user: 'U0EMUALICE', text: 'refused' });
    await emu.settled();
    expect(emu.deliveries()[1]).toMatchObject({
      outcome: 'failed',
      attempts: [{ retryNum: 0, status: 400, reason: 'http_error' }],
    });
  });
});
