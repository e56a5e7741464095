import { WorkspaceState } from '../state/workspace';
import { Args } from './args';
import {
  channelScope,
  conversationsHistory,
  conversationsInfo,
  conversationsList,
  conversationsReplies,
  listScopes,
} from './conversations';
import { Tier } from './rate-limits';
import { usersInfo, usersList } from './users';

interface MethodCall {
  ws: WorkspaceState;
  args: Args;
  scopes: ReadonlySet<string>;
  marketplace: boolean;
  /** apps.connections.open: issues a one-use Socket Mode URL. */
  openSocket: () => string;
}

export interface MethodSpec {
  /** Rate-limit tier as each method's page documents it. */
  tier: Tier;
  /** Which token the method takes: the bot token (xoxb) or the app-level token (xapp). */
  token: 'bot' | 'app';
  /** Scopes this call needs (some depend on the arguments: the channel's type, the listed types). */
  scopes(ws: WorkspaceState, args: Args): string[];
  handle(call: MethodCall): Record<string, unknown>;
}

const none = (): string[] => [];

/** The Web API methods the emulator answers, with tiers and scopes from their docs.slack.dev pages. */
export const METHODS: Record<string, MethodSpec> = {
  // auth.test has "special" limits, generous in practice: modelled as Tier 4.
  'auth.test': {
    tier: 4,
    token: 'bot',
    scopes: none,
    handle: ({ ws }) => ({
      url: `https://${ws.team.domain}.slack.com/`,
      team: ws.team.name,
      user: ws.bot.name,
      team_id: ws.team.id,
      user_id: ws.bot.userId,
      bot_id: ws.bot.botId,
      is_enterprise_install: false,
    }),
  },
  'team.info': {
    tier: 3,
    token: 'bot',
    scopes: () => ['team:read'],
    handle: ({ ws }) => ({ team: { ...ws.team, url: `https://${ws.team.domain}.slack.com/` } }),
  },
  'users.list': {
    tier: 2,
    token: 'bot',
    scopes: () => ['users:read'],
    handle: ({ ws, args, scopes }) => usersList(ws, args, scopes),
  },
  'users.info': {
    tier: 4,
    token: 'bot',
    scopes: () => ['users:read'],
    handle: ({ ws, args, scopes }) => usersInfo(ws, args, scopes),
  },
  'conversations.list': {
    tier: 2,
    token: 'bot',
    scopes: (_ws, args) => listScopes(args),
    handle: ({ ws, args }) => conversationsList(ws, args),
  },
  'conversations.info': {
    tier: 3,
    token: 'bot',
    scopes: (ws, args) => channelScope(ws, args, 'read'),
    handle: ({ ws, args }) => conversationsInfo(ws, args),
  },
  'conversations.history': {
    tier: 3,
    token: 'bot',
    scopes: (ws, args) => channelScope(ws, args, 'history'),
    handle: ({ ws, args, marketplace }) => conversationsHistory(ws, args, { marketplace }),
  },
  'conversations.replies': {
    tier: 3,
    token: 'bot',
    scopes: (ws, args) => channelScope(ws, args, 'history'),
    handle: ({ ws, args, marketplace }) => conversationsReplies(ws, args, { marketplace }),
  },
  // Tier 3 per the method's reference (apps.connections.open).
  'apps.connections.open': {
    tier: 3,
    token: 'app',
    scopes: () => ['connections:write'],
    handle: ({ openSocket }) => ({ url: openSocket() }),
  },
};
