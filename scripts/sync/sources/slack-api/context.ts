import type { StoreWriter } from '../../store';
import type { SourceReport } from '../report';
import type { Author, Conversation, MessageContext } from '../slack/messages';
import { memberId, placeholderMember } from '../slack/users';
import type { ChannelCursor, SlackCursors } from '../../store';

/** Authors resolved so far; bounded so a 50,000-member workspace is not held twice. */
const AUTHOR_CACHE_MAX = 100_000;

/**
 * The export reader's MessageContext for one live write transaction: authors come from the store
 * (the members users.list or an event wrote), bots from the bot ids users.list recorded, and an id
 * the store lacks becomes a placeholder exactly as the export would make it.
 */
export function liveMessageContext(opts: {
  teamId: string;
  communityId: string;
  domain: string | null;
  writer: StoreWriter;
  report: SourceReport;
  cursors: SlackCursors;
  authors: Map<string, Author>;
}): MessageContext {
  const { teamId, communityId, writer, cursors, authors } = opts;
  const remember = (key: string, a: Author): Author => {
    if (authors.size >= AUTHOR_CACHE_MAX) authors.clear();
    authors.set(key, a);
    return a;
  };
  const fromStore = (userId: string, isBot: boolean, name?: string): Author => {
    const id = memberId(teamId, userId);
    const stored = writer.getMember(id);
    if (stored) return { id, deleted: stored.deleted || stored.row.status === 'Deleted' };
    writer.ensureMember(placeholderMember(teamId, communityId, userId, isBot, name));
    return { id, deleted: false };
  };
  return {
    teamId,
    communityId,
    domain: opts.domain,
    writer,
    report: opts.report,
    keepStoredReactions: true,
    resolveUser: (userId) => authors.get(userId) ?? remember(userId, fromStore(userId, false)),
    resolveBot: (botId, name) => {
      const cached = authors.get(`bot:${botId}`);
      if (cached) return cached;
      const userId = cursors.botUser(communityId, botId);
      return remember(`bot:${botId}`, userId ? fromStore(userId, true) : fromStore(botId, true, name ?? botId));
    },
  };
}

export function conversationOf(c: Pick<ChannelCursor, 'channelId' | 'name' | 'kind'>): Conversation {
  return { id: c.channelId, name: c.kind === 'dm' ? null : c.name, folder: c.name ?? c.channelId, kind: c.kind };
}
