import type { AsyncStoreWriter } from '../../../store';
import type { SourceReport } from '../../report';
import type { Author, Conversation, MessageContext } from '../export/messages';
import { memberId, placeholderMember } from '../export/users';
import type { ChannelCursor, AsyncSlackCursors } from '../../../store';

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
  writer: AsyncStoreWriter;
  report: SourceReport;
  cursors: AsyncSlackCursors;
  authors: Map<string, Author>;
}): MessageContext {
  const { teamId, communityId, writer, cursors, authors } = opts;
  const remember = (key: string, a: Author): Author => {
    if (authors.size >= AUTHOR_CACHE_MAX) authors.clear();
    authors.set(key, a);
    return a;
  };
  const fromStore = async (userId: string, isBot: boolean, name?: string): Promise<Author> => {
    const id = memberId(teamId, userId);
    const stored = await writer.getMember(id);
    if (stored) return { id, deleted: stored.deleted || stored.row.status === 'Deleted' };
    await writer.ensureMember(placeholderMember(teamId, communityId, userId, isBot, name));
    return { id, deleted: false };
  };
  return {
    teamId,
    communityId,
    domain: opts.domain,
    writer,
    report: opts.report,
    keepStoredReactions: true,
    resolveUser: async (userId) => authors.get(userId) ?? remember(userId, await fromStore(userId, false)),
    knownUser: (userId) => authors.get(userId),
    knownBot: (botId) => authors.get(`bot:${botId}`),
    resolveBot: async (botId, name) => {
      const cached = authors.get(`bot:${botId}`);
      if (cached) return cached;
      const userId = await cursors.botUser(communityId, botId);
      return remember(
        `bot:${botId}`,
        userId ? await fromStore(userId, true) : await fromStore(botId, true, name ?? botId),
      );
    },
  };
}

export function conversationOf(c: Pick<ChannelCursor, 'channelId' | 'name' | 'kind'>): Conversation {
  return { id: c.channelId, name: c.kind === 'dm' ? null : c.name, folder: c.name ?? c.channelId, kind: c.kind };
}
