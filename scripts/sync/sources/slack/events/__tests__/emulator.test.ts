import { startSlackEmulator, type SlackEmulator } from '../../../../../slack-emulator';
import type { Delivery } from '../accept';
import { startEventReceiver } from '../receiver';
import { startSocketModeReceiver } from '../socket-mode';
import { tempDir } from './helpers';

/** The receivers fed by the Slack emulator: signed HTTP deliveries, and Socket Mode. */
describe('event receivers against the Slack emulator', () => {
  let emu: SlackEmulator;
  afterEach(async () => {
    await emu?.close();
  });

  async function changes(): Promise<string[]> {
    const ids: Array<string | null> = [];
    ids.push((await emu.postMessage({ channel: 'C0EMUGENRL', user: 'U0EMUALICE', text: 'héllo 👋' })).eventId);
    const { ts, eventId } = await emu.postMessage({ channel: 'C0EMUHELP1', user: 'U0EMUBRUNO', text: 'a question' });
    ids.push(eventId);
    ids.push(await emu.addReaction('C0EMUHELP1', ts, 'U0EMUCHLOE', 'tada'));
    ids.push(await emu.removeReaction('C0EMUHELP1', ts, 'U0EMUCHLOE', 'tada'));
    ids.push(await emu.addUser({ id: 'U0EMUNEW01', name: 'newbie', email: 'new@acme.example' }));
    ids.push(await emu.updateUser('U0EMUNEW01', { title: 'CTO' }));
    ids.push(await emu.createChannel({ id: 'C0EMUNEWCH', name: 'launch' }));
    ids.push(await emu.renameChannel('C0EMUNEWCH', 'launch-2026'));
    ids.push(await emu.joinChannel('C0EMUGENRL', 'U0EMUNEW01'));
    await emu.settled();
    return ids.filter((id): id is string => id !== null);
  }

  it('stores every signed HTTP delivery once', async () => {
    emu = await startSlackEmulator({ timeScale: 1000 });
    const seen: Delivery[] = [];
    const receiver = await startEventReceiver({
      stateDir: tempDir(),
      signingSecret: emu.signingSecret,
      port: 0,
      onEvent: (d) => seen.push(d),
    });
    try {
      emu.setEventsUrl(receiver.url);
      const ids = await changes();
      expect(ids.length).toBeGreaterThanOrEqual(9);
      const stored = await receiver.inbox.pending(100);
      expect(stored.map((e) => e.eventId).sort()).toEqual(expect.arrayContaining([...ids].sort()));
      expect(new Set(stored.map((e) => e.type))).toEqual(
        new Set([
          'message',
          'reaction_added',
          'reaction_removed',
          'team_join',
          'user_change',
          'channel_created',
          'channel_rename',
          'member_joined_channel',
        ]),
      );
      expect(new Set(stored.map((e) => e.eventId)).size).toBe(stored.length);
      expect(receiver.stats()).toMatchObject({ rejected: 0, malformed: 0, errors: 0 });
      expect(emu.deliveries().every((d) => d.outcome === 'delivered' && d.transport === 'http')).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('refuses deliveries signed with another app’s secret', async () => {
    emu = await startSlackEmulator({ timeScale: 1000, signingSecret: 'another-apps-secret' });
    const receiver = await startEventReceiver({ stateDir: tempDir(), signingSecret: 'ours', port: 0 });
    try {
      emu.setEventsUrl(receiver.url);
      await emu.postMessage({ channel: 'C0EMUGENRL', user: 'U0EMUALICE', text: 'forged?' });
      await emu.settled();
      expect((await receiver.inbox.counts()).pending).toBe(0);
      expect(receiver.stats().rejected).toBeGreaterThanOrEqual(1);
    } finally {
      await receiver.close();
    }
  });

  it('stores Socket Mode envelopes before acknowledging them', async () => {
    emu = await startSlackEmulator({ timeScale: 1000 });
    const receiver = await startSocketModeReceiver({
      stateDir: tempDir(),
      appToken: emu.appToken,
      clientOptions: { slackApiUrl: emu.apiUrl },
    });
    try {
      const ids = await changes();
      expect(ids.length).toBeGreaterThanOrEqual(9);
      expect((await receiver.inbox.pending(100)).map((e) => e.eventId).sort()).toEqual(
        expect.arrayContaining([...ids].sort()),
      );
      expect(emu.deliveries().every((d) => d.transport === 'socket' && d.outcome === 'delivered')).toBe(true);
      const [first] = await receiver.inbox.pending(1);
      expect(JSON.parse(first.body)).toMatchObject({ type: 'event_callback', event_id: first.eventId });
    } finally {
      await receiver.close();
    }
  });

  it('names the fix when Slack refuses the app-level token', async () => {
    emu = await startSlackEmulator();
    await expect(
      startSocketModeReceiver({
        stateDir: tempDir(),
        appToken: 'xapp-wrong',
        clientOptions: { slackApiUrl: emu.apiUrl },
      }),
    ).rejects.toMatchObject({ code: 'SLACK_SOCKET_MODE_REFUSED', exitCode: 3 });
  });
});
