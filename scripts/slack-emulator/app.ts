import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Args } from './api/args';
import { TokenState, WebApi } from './api/dispatch';
import { RateLimiter } from './api/rate-limits';
import { Changes } from './changes';
import { EventDelivery } from './events/delivery';
import { envelope, SlackEvent } from './events/envelope';
import { SocketModeServer } from './events/socket-mode';
import { OAuthSettings, SlackOAuth } from './oauth/install';
import { requestHandler } from './server';
import { WorkspaceState } from './state/workspace';
import { SlackAppHandle, SlackEmulatorOptions, SlackWorkspaceHandle, WorkspaceFixture } from './types';

/** Everything the Slack source reads: the bot token's default grant. */
const DEFAULT_SCOPES = [
  'channels:read',
  'channels:history',
  'groups:read',
  'groups:history',
  'users:read',
  'users:read.email',
  'team:read',
  'reactions:read',
];

/** One installation of the app: a workspace with its bot token. */
export interface Installation {
  fixture: WorkspaceFixture;
  botToken: string;
}

/** What {@link serveApp} starts: the app's shared parts and one handle per installation. */
export interface ServedApp {
  app: SlackAppHandle;
  workspaces: SlackWorkspaceHandle[];
}

type Shared = Omit<SlackEmulatorOptions, 'workspace' | 'botToken' | 'port' | 'host'>;

/**
 * Serves one Slack app installed in one or more workspaces, as Slack does: one API host whose bot
 * tokens each belong to one workspace (its state, its rate limits), one app-level token, one signing
 * secret and one events URL (or Socket Mode connection) receiving every workspace's events, told
 * apart by `team_id`.
 */
export async function serveApp(
  installs: Installation[],
  appId: string,
  opts: Shared & { port?: number; host?: string },
): Promise<ServedApp> {
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`timeScale must be a positive number (got ${timeScale}).`);
  const teams = installs.map((i) => i.fixture.team.id);
  const dup = teams.find((t, i) => teams.indexOf(t) !== i);
  if (dup)
    throw new Error(
      `Two workspaces share team id ${dup}: give each fixture its own (generateWorkspace's seed sets it).`,
    );
  const appToken = opts.appToken ?? 'xapp-emulator-app-token';
  const signingSecret = opts.signingSecret ?? 'emulator-signing-secret';
  const mode = opts.rateLimits ?? 'off';
  const socket = new SocketModeServer(appId);
  const delivery = new EventDelivery(signingSecret, timeScale, socket);
  delivery.eventsUrl = opts.eventsUrl ?? null;
  let wsOrigin = '';
  const scopes = new Set(opts.scopes ?? DEFAULT_SCOPES);
  const installed = installs.map(({ fixture, botToken }) => {
    const ws = new WorkspaceState(fixture);
    const tokens: TokenState = { bot: botToken, app: appToken, botRevoked: false };
    const limiter = new RateLimiter(mode, timeScale);
    const api = new WebApi(ws, tokens, scopes, limiter, mode === 'marketplace', () => socket.issueUrl(wsOrigin));
    return { ws, tokens, api };
  });
  const byToken = new Map(installed.map((w) => [w.tokens.bot, w.api]));
  const oauth = new SlackOAuth(oauthSettings(opts), installed, scopes, (install, previous) => {
    byToken.delete(previous);
    byToken.set(install.tokens.bot, installed.find((w) => w.tokens === install.tokens)?.api ?? installed[0].api);
  });
  // The app-level token and unknown tokens are answered by the first installation's API (app tokens
  // belong to the app, not to a workspace; an unknown token is invalid_auth whichever answers).
  // The OAuth methods belong to the app: oauth.v2.access takes no token, auth.revoke any bot token.
  const router = {
    call: (method: string, args: Args, authorization: string | undefined) => {
      const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1] ?? args.token;
      if (method === 'oauth.v2.access') return { status: 200, body: oauth.access(args, authorization), headers: {} };
      if (method === 'auth.revoke')
        return { status: 200, body: oauth.revoke(token, args.test === 'true'), headers: {} };
      return (byToken.get(token ?? '') ?? installed[0].api).call(method, args, authorization);
    },
  };
  const handle = requestHandler(router, (method, params) => oauth.authorize(method, params));
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

  let closed = false;
  const app: SlackAppHandle = {
    apiUrl: `http://${host}:${port}/api/`,
    appToken,
    signingSecret,
    appId,
    clientId: oauth.settings.clientId,
    clientSecret: oauth.settings.clientSecret,
    setEventsUrl: (url) => {
      delivery.eventsUrl = url;
    },
    deliveries: () => delivery.records(),
    settled: () => delivery.settled(),
    socketConnections: () => socket.count(),
    close: async () => {
      if (closed) return;
      closed = true;
      await delivery.close();
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return { app, workspaces: installed.map((w) => workspaceHandle(w.ws, w.tokens, w.api, delivery)) };
}

/** The app's OAuth credentials and Redirect URLs, from the options or the emulator's defaults. */
function oauthSettings(opts: Shared): OAuthSettings {
  return {
    clientId: opts.clientId ?? '1000000000001.2000000000002',
    clientSecret: opts.clientSecret ?? 'emulator-client-secret',
    redirectUrls: opts.redirectUrls ?? [],
  };
}

/** The change methods of one workspace: each updates its state, then delivers its events. */
function workspaceHandle(
  ws: WorkspaceState,
  tokens: TokenState,
  api: WebApi,
  delivery: EventDelivery,
): SlackWorkspaceHandle {
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
  return {
    teamId: ws.team.id,
    // A getter: installing the app again after auth.revoke issues a new token.
    get botToken() {
      return tokens.bot;
    },
    calls: () => api.calls(),
    revokeToken: () => {
      tokens.botRevoked = true;
    },
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
  };
}
