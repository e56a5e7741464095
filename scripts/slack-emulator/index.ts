import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { WebApi } from './api/dispatch';
import { RateLimiter } from './api/rate-limits';
import { Changes } from './changes';
import { envelope, SlackEvent } from './events/envelope';
import { EventDelivery } from './events/delivery';
import { SocketModeServer } from './events/socket-mode';
import { fixtureWorkspace } from './fixture';
import { requestHandler } from './server';
import { WorkspaceState } from './state/workspace';
import { SlackEmulator, SlackEmulatorOptions } from './types';

export * from './types';
export { generateWorkspace } from './generator';
export { fixtureWorkspace } from './fixture';
export { workspaceFromExport } from './from-export';
export { sign } from './events/signing';

/** Everything the Slack source reads: the bot token's default grant. */
export const DEFAULT_SCOPES = [
  'channels:read',
  'channels:history',
  'groups:read',
  'groups:history',
  'users:read',
  'users:read.email',
  'team:read',
  'reactions:read',
];

/**
 * Starts the local Slack emulator: the Web API methods the Slack source calls, Socket Mode, and
 * signed Events API deliveries of the changes a test makes. A test double, not Slack: see
 * docs/slack-emulator.md for what it models.
 */
export async function startSlackEmulator(opts: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`timeScale must be a positive number (got ${timeScale}).`);
  const ws = new WorkspaceState(opts.workspace ?? fixtureWorkspace());
  const tokens = {
    bot: opts.botToken ?? 'xoxb-emulator-bot-token',
    app: opts.appToken ?? 'xapp-emulator-app-token',
    botRevoked: false,
  };
  const signingSecret = opts.signingSecret ?? 'emulator-signing-secret';
  const mode = opts.rateLimits ?? 'off';
  const socket = new SocketModeServer(ws.bot.appId);
  const delivery = new EventDelivery(signingSecret, timeScale, socket);
  delivery.eventsUrl = opts.eventsUrl ?? null;
  let wsOrigin = '';
  const api = new WebApi(
    ws,
    tokens,
    new Set(opts.scopes ?? DEFAULT_SCOPES),
    new RateLimiter(mode, timeScale),
    mode === 'marketplace',
    () => socket.issueUrl(wsOrigin),
  );
  const handle = requestHandler(api);
  const server = createServer((req, res) => void handle(req, res));
  server.on('upgrade', (req, sock, head) => socket.handleUpgrade(req, sock, head));
  server.keepAliveTimeout = 65_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  wsOrigin = `ws://${host}:${port}`;
  const changes = new Changes(ws);

  /** Delivers the events of one change; the id of the first delivered, or null. */
  async function emit(events: SlackEvent[]): Promise<string | null> {
    let first: string | null = null;
    for (const event of events) {
      if (!delivery.active()) break;
      const env = envelope(ws, event);
      if ((await delivery.deliver(env)) && first === null) first = env.event_id;
    }
    return first;
  }

  let closed = false;
  return {
    apiUrl: `http://${host}:${port}/api/`,
    botToken: tokens.bot,
    appToken: tokens.app,
    signingSecret,
    teamId: ws.team.id,
    calls: () => api.calls(),
    setEventsUrl: (url) => {
      delivery.eventsUrl = url;
    },
    revokeToken: () => {
      tokens.botRevoked = true;
    },
    deliveries: () => delivery.records(),
    settled: () => delivery.settled(),
    socketConnections: () => socket.count(),
    postMessage: async (m) => {
      const { ts, events } = changes.postMessage(m);
      return { ts, eventId: await emit(events) };
    },
    editMessage: (channel, ts, text) => emit(changes.editMessage(channel, ts, text)),
    deleteMessage: (channel, ts) => emit(changes.deleteMessage(channel, ts)),
    addReaction: (channel, ts, user, name) => emit(changes.addReaction(channel, ts, user, name)),
    removeReaction: (channel, ts, user, name) => emit(changes.removeReaction(channel, ts, user, name)),
    // member_joined_channel is the event a join is known by; the channel_join message goes first.
    joinChannel: async (channel, user) => {
      const events = changes.joinChannel(channel, user);
      const messageId = await emit(events.slice(0, 1));
      return (await emit(events.slice(1))) ?? messageId;
    },
    addUser: (u) => emit(changes.addUser(u)),
    updateUser: (id, c) => emit(changes.updateUser(id, c)),
    createChannel: (c) => emit(changes.createChannel(c)),
    renameChannel: (id, name) => emit(changes.renameChannel(id, name)),
    close: async () => {
      if (closed) return;
      closed = true;
      await delivery.close();
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
