import { ChannelState } from '../state/channel';
import { tsKey } from '../ts';
import { WorkspaceState } from '../state/workspace';
import { Args, boolArg, decodeCursor, encodeCursor, limitArg, tsArg } from './args';
import { SlackApiError } from './errors';
import { MARKETPLACE_PAGE_SIZE } from './rate-limits';

export interface ConversationsOptions {
  /** The 2025 non-Marketplace limits: page size at most 15 on history and replies. */
  marketplace: boolean;
}

const TYPE_SCOPES: Record<string, string> = {
  public_channel: 'channels:read',
  private_channel: 'groups:read',
  mpim: 'mpim:read',
  im: 'im:read',
};

function listTypes(args: Args): string[] {
  const types = (args.types || 'public_channel').split(',').map((t) => t.trim());
  for (const t of types) if (!TYPE_SCOPES[t]) throw new SlackApiError('invalid_types');
  return types;
}

/** Scopes conversations.list needs: one per requested type. */
export function listScopes(args: Args): string[] {
  try {
    return listTypes(args).map((t) => TYPE_SCOPES[t]);
  } catch {
    return [];
  }
}

/** The read or history scope a channel needs: public channels:*, private groups:*. */
export function channelScope(ws: WorkspaceState, args: Args, kind: 'read' | 'history'): string[] {
  const c = ws.channel(args.channel ?? '');
  if (!c) return [];
  return [`${c.channel.is_private ? 'groups' : 'channels'}:${kind}`];
}

function render(c: ChannelState): Record<string, unknown> {
  return { ...c.channel, is_member: c.botMember };
}

/** A channel the bot may see: any public one, a private one only as a member (else it does not exist). */
function visible(ws: WorkspaceState, id: string | undefined): ChannelState {
  const c = ws.channel(id ?? '');
  if (!c || (c.channel.is_private && !c.botMember)) throw new SlackApiError('channel_not_found');
  return c;
}

export function conversationsList(ws: WorkspaceState, args: Args): Record<string, unknown> {
  const types = new Set(listTypes(args));
  const limit = limitArg(args, 100, 1000);
  const excludeArchived = boolArg(args, 'exclude_archived');
  const after = decodeCursor(args, 'channel');
  const all = [...ws.channels.values()].filter(
    (c) =>
      (c.channel.is_private ? types.has('private_channel') && c.botMember : types.has('public_channel')) &&
      !(excludeArchived && c.channel.is_archived),
  );
  let start = 0;
  if (after !== undefined) {
    start = all.findIndex((c) => c.channel.id === after);
    if (start < 0) throw new SlackApiError('invalid_cursor');
  }
  const page = all.slice(start, start + limit);
  const next = all[start + limit];
  return {
    channels: page.map(render),
    response_metadata: { next_cursor: next ? encodeCursor('channel', next.channel.id) : '' },
  };
}

export function conversationsInfo(ws: WorkspaceState, args: Args): Record<string, unknown> {
  return { channel: render(visible(ws, args.channel)) };
}

/** A readable channel's history: the bot must be a member (public channels say not_in_channel). */
function readable(ws: WorkspaceState, args: Args): ChannelState {
  const c = visible(ws, args.channel);
  if (!c.botMember) throw new SlackApiError('not_in_channel');
  return c;
}

export function conversationsHistory(
  ws: WorkspaceState,
  args: Args,
  opts: ConversationsOptions,
): Record<string, unknown> {
  const c = readable(ws, args);
  const max = opts.marketplace ? MARKETPLACE_PAGE_SIZE : 999;
  const limit = limitArg(args, opts.marketplace ? MARKETPLACE_PAGE_SIZE : 100, max);
  const page = c.history({
    limit,
    before: decodeCursor(args, 'next_ts'),
    oldest: tsArg(args, 'oldest'),
    latest: tsArg(args, 'latest'),
    inclusive: boolArg(args, 'inclusive'),
  });
  return {
    messages: page.messages,
    has_more: page.hasMore,
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
    ...(page.nextTs ? { response_metadata: { next_cursor: encodeCursor('next_ts', page.nextTs) } } : {}),
  };
}

export function conversationsReplies(
  ws: WorkspaceState,
  args: Args,
  opts: ConversationsOptions,
): Record<string, unknown> {
  const c = readable(ws, args);
  const ts = tsArg(args, 'ts');
  const thread = ts ? c.thread(ts) : undefined;
  if (!thread) throw new SlackApiError('thread_not_found');
  const max = opts.marketplace ? MARKETPLACE_PAGE_SIZE : 1000;
  const limit = limitArg(args, opts.marketplace ? MARKETPLACE_PAGE_SIZE : 100, max);
  const oldest = tsKey(tsArg(args, 'oldest') ?? '');
  const latest = tsKey(tsArg(args, 'latest') ?? '');
  const inclusive = boolArg(args, 'inclusive');
  const [parent, ...replies] = thread;
  const inRange = replies.filter((m) => {
    const k = tsKey(m.ts);
    if (oldest && (inclusive ? k < oldest : k <= oldest)) return false;
    if (latest && (inclusive ? k > latest : k >= latest)) return false;
    return true;
  });
  const cursor = decodeCursor(args, 'next_ts');
  const after = cursor === undefined ? undefined : tsKey(cursor);
  // The parent leads the first page; later pages continue after the cursor's reply.
  const items = after === undefined ? [parent, ...inRange] : inRange.filter((m) => tsKey(m.ts) > after);
  const page = items.slice(0, limit);
  const hasMore = items.length > limit;
  return {
    messages: page,
    has_more: hasMore,
    ...(hasMore ? { response_metadata: { next_cursor: encodeCursor('next_ts', page[page.length - 1].ts) } } : {}),
  };
}
