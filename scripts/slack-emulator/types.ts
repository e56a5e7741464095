/**
 * Slack's object shapes as the emulator serves them (docs.slack.dev: "User object", "Message object",
 * "Conversation object"), the fixture a workspace is built from, and the emulator's public interface.
 */

interface SlackProfile {
  email?: string;
  real_name?: string;
  display_name?: string;
  first_name?: string;
  last_name?: string;
  title?: string;
  image_72?: string;
  image_192?: string;
  image_512?: string;
  bot_id?: string;
}

export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name?: string;
  deleted: boolean;
  is_bot: boolean;
  is_admin?: boolean;
  tz?: string;
  updated?: number;
  profile: SlackProfile;
}

export interface SlackReaction {
  name: string;
  users: string[];
  count: number;
}

interface SlackFile {
  id: string;
  name: string;
  title?: string;
  mimetype?: string;
  size?: number;
}

export interface SlackMessage {
  type: 'message';
  ts: string;
  user?: string;
  text: string;
  subtype?: string;
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
  latest_reply?: string;
  parent_user_id?: string;
  reactions?: SlackReaction[];
  bot_id?: string;
  username?: string;
  files?: SlackFile[];
  edited?: { user: string; ts: string };
  hidden?: boolean;
}

export interface SlackChannel {
  id: string;
  name: string;
  is_channel: boolean;
  is_group: boolean;
  is_private: boolean;
  is_archived: boolean;
  is_general: boolean;
  is_member?: boolean;
  created: number;
  creator: string;
  num_members?: number;
  topic?: { value: string; creator: string; last_set: number };
  purpose?: { value: string; creator: string; last_set: number };
}

export interface SlackTeam {
  id: string;
  name: string;
  domain: string;
  email_domain?: string;
  icon?: { image_68?: string; image_132?: string; image_230?: string };
}

/** A sequence read by position, never materialised: how a large workspace stays small in memory. */
export interface Lazy<T> {
  readonly count: number;
  at(i: number): T;
}

/**
 * A channel's messages: the top-level ones (what conversations.history lists) by position, oldest
 * first with strictly increasing `ts`, and each one's thread replies.
 */
export interface MessageSource extends Lazy<SlackMessage> {
  /** Thread replies of top-level message `i`, oldest first (empty when it has none). */
  replies(i: number): SlackMessage[];
  /** Where the message with this ts is: top-level index, and reply index (-1 for the top-level message itself). */
  locate(ts: string): { parent: number; reply: number } | undefined;
}

export interface ChannelFixture {
  channel: SlackChannel;
  /** Whether the app's bot user is in the channel (history answers not_in_channel otherwise). */
  botMember: boolean;
  messages: MessageSource;
}

export interface WorkspaceFixture {
  team: SlackTeam;
  /** The installed app: its bot user (auth.test's user_id), bot id and app id. */
  bot: { userId: string; botId: string; appId: string; name: string };
  users: Lazy<SlackUser>;
  channels: ChannelFixture[];
}

export type RateLimitMode = 'off' | 'tiers' | 'marketplace';

export interface SlackEmulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: the built-in fixture workspace (fixture.ts). */
  workspace?: WorkspaceFixture;
  /** Default 'xoxb-emulator-bot-token'. */
  botToken?: string;
  /** App-level token for Socket Mode. Default 'xapp-emulator-app-token'. */
  appToken?: string;
  /** Default 'emulator-signing-secret'. */
  signingSecret?: string;
  /** Scopes granted to the bot token. Default: DEFAULT_SCOPES, everything the Slack source reads. */
  scopes?: string[];
  /** Default 'off'. 'tiers': Slack's per-method tiers; 'marketplace': tiers, plus the 2025 limits on history/replies. */
  rateLimits?: RateLimitMode;
  /** Rate-limit windows and event retry delays are divided by this. Default 1. */
  timeScale?: number;
  /** Where changes are delivered as signed Events API requests. */
  eventsUrl?: string;
  /** The app's OAuth client id (oauth.v2.access, the authorize page). Default '1000000000001.2000000000002'. */
  clientId?: string;
  /** The app's OAuth client secret. Default 'emulator-client-secret'. */
  clientSecret?: string;
  /** Registered Redirect URLs (a redirect_uri must equal one or be below one). Default: any loopback http URL. */
  redirectUrls?: string[];
}

/** One attempt to deliver an event. */
export interface DeliveryAttempt {
  retryNum: number;
  at: string;
  ok: boolean;
  /** HTTP status of the receiver's answer (HTTP transport). */
  status?: number;
  /** Why it failed: http_timeout, http_error, connection_failed (Slack's X-Slack-Retry-Reason values), or ack_timeout. */
  reason?: string;
}

export interface DeliveryRecord {
  eventId: string;
  type: string;
  transport: 'http' | 'socket';
  attempts: DeliveryAttempt[];
  outcome: 'pending' | 'delivered' | 'failed';
}

/** One workspace the app is installed in: its team, its bot token, and the changes a test makes in it. */
export interface SlackWorkspaceHandle {
  readonly teamId: string;
  /** This workspace's bot token (each installation of the app gets its own). */
  readonly botToken: string;
  /** Web API calls per method made with this workspace's bot token (the single emulator: every call). */
  calls(): Record<string, number>;
  /** Subsequent calls with this workspace's bot token answer ok:false error 'token_revoked'. */
  revokeToken(): void;
  postMessage(m: {
    channel: string;
    user: string;
    text: string;
    thread_ts?: string;
    subtype?: string;
  }): Promise<{ ts: string; eventId: string | null }>;
  editMessage(channel: string, ts: string, text: string): Promise<string | null>;
  deleteMessage(channel: string, ts: string): Promise<string | null>;
  addReaction(channel: string, ts: string, user: string, name: string): Promise<string | null>;
  removeReaction(channel: string, ts: string, user: string, name: string): Promise<string | null>;
  joinChannel(channel: string, user: string): Promise<string | null>;
  addUser(u: {
    id: string;
    name: string;
    email?: string;
    real_name?: string;
    is_bot?: boolean;
  }): Promise<string | null>;
  updateUser(
    id: string,
    changes: { email?: string; real_name?: string; title?: string; deleted?: boolean },
  ): Promise<string | null>;
  createChannel(c: { id: string; name: string; is_private?: boolean }): Promise<string | null>;
  renameChannel(id: string, name: string): Promise<string | null>;
}

/** What the app shares across its workspaces: one API host, one app token, one signing secret, one events URL. */
export interface SlackAppHandle {
  /** Base for @slack/web-api's `slackApiUrl`, e.g. 'http://127.0.0.1:PORT/api/' (one host, as slack.com). */
  readonly apiUrl: string;
  /** The app-level token (Socket Mode): one per app, whatever the workspace. */
  readonly appToken: string;
  /** One signing secret per app: every workspace's events are signed with it. */
  readonly signingSecret: string;
  /** The app's id, `api_app_id` in every event envelope. */
  readonly appId: string;
  /** The app's OAuth client id and secret, for installs through /oauth/v2/authorize and oauth.v2.access. */
  readonly clientId: string;
  readonly clientSecret: string;
  setEventsUrl(url: string | null): void;
  /** Every event delivery so far, with its attempts. */
  deliveries(): DeliveryRecord[];
  /** Resolves when no delivery (or retry) is in flight. */
  settled(): Promise<void>;
  /** Socket Mode connections currently open. */
  socketConnections(): number;
  close(): Promise<void>;
}

/** The emulator with one workspace ({@link startSlackEmulator}). */
export interface SlackEmulator extends SlackAppHandle, SlackWorkspaceHandle {}

/** One app installed in several workspaces, served by one process ({@link startSlackApp}). */
export interface SlackApp extends SlackAppHandle {
  /** In the order given; each with its own team id, bot token, state and rate limits. */
  workspaces: SlackWorkspaceHandle[];
  /** The workspace of a team id. */
  workspace(teamId: string): SlackWorkspaceHandle | undefined;
}

/** Options of {@link startSlackApp}: the emulator's, with several workspaces instead of one. */
export interface SlackAppOptions extends Omit<SlackEmulatorOptions, 'workspace' | 'botToken'> {
  /** The workspaces the app is installed in; team ids must differ. Bot tokens: `xoxb-emulator-<team id>`. */
  workspaces: WorkspaceFixture[];
  /** The app's id (default 'A0EMUAPP01'); it replaces each fixture's `bot.appId`: one app everywhere. */
  appId?: string;
}
