import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import { WebClient } from '@slack/web-api';
import { SlackEmulator, startSlackEmulator } from '../index';
import { waitFor } from './helpers';

describe('Slack emulator Socket Mode', () => {
  let emu: SlackEmulator;
  afterEach(() => emu.close());

  it('serves SocketModeClient: hello, events_api envelopes, acks', async () => {
    emu = await startSlackEmulator();
    const client = new SocketModeClient({
      appToken: emu.appToken,
      clientOptions: { slackApiUrl: emu.apiUrl },
      logLevel: LogLevel.ERROR,
      autoReconnectEnabled: false,
    });
    const received: Array<{ type: string; text?: string; eventId: string; retry: number }> = [];
    client.on('message', ({ ack, event, body, retry_num }) => {
      received.push({ type: event.type, text: event.text, eventId: body.event_id, retry: retry_num });
      void ack();
    });
    try {
      await client.start();
      await waitFor(() => emu.socketConnections() === 1);
      const { eventId } = await emu.postMessage({ channel: 'C0EMUHELP1', user: 'U0EMUCHLOE', text: 'over the socket' });
      expect(eventId).toMatch(/^Ev/);
      await waitFor(() => emu.deliveries()[0]?.outcome === 'delivered');
      expect(received).toEqual([{ type: 'message', text: 'over the socket', eventId, retry: 0 }]);
      expect(emu.deliveries()[0]).toMatchObject({ transport: 'socket', attempts: [{ retryNum: 0, ok: true }] });
      expect(emu.calls()['apps.connections.open']).toBe(1);
    } finally {
      await client.disconnect();
    }
  });

  it('re-sends an envelope nobody acknowledged, with retry_attempt and retry_reason', async () => {
    emu = await startSlackEmulator({ timeScale: 1000 });
    const client = new SocketModeClient({
      appToken: emu.appToken,
      clientOptions: { slackApiUrl: emu.apiUrl },
      logLevel: LogLevel.ERROR,
      autoReconnectEnabled: false,
    });
    const retries: Array<[number, string]> = [];
    client.on('slack_event', ({ ack, retry_num, retry_reason }) => {
      retries.push([retry_num, retry_reason]);
      if (retry_num >= 1) void ack();
    });
    try {
      await client.start();
      await emu.postMessage({ channel: 'C0EMUGENRL', user: 'U0EMUALICE', text: 'ack me later' });
      await emu.settled();
      expect(retries).toEqual([
        [0, ''],
        [1, 'ack_timeout'],
      ]);
      expect(emu.deliveries()[0].outcome).toBe('delivered');
    } finally {
      await client.disconnect();
    }
  });

  it('opens connections only with the app-level token, and each URL once', async () => {
    emu = await startSlackEmulator();
    const bot = new WebClient(emu.botToken, { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } });
    await expect(bot.apps.connections.open()).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
    const app = new WebClient(emu.appToken, { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } });
    await expect(app.conversations.list()).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
    const { url } = await app.apps.connections.open();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f]+&app_id=A0EMUAPP01$/);
  });
});
