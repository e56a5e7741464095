import { tsKey } from './ts';
import { Lazy, MessageSource, SlackMessage } from './types';

/** A Lazy over an array. */
export function listOf<T>(items: readonly T[]): Lazy<T> {
  return { count: items.length, at: (i) => items[i] };
}

/**
 * A MessageSource over a plain list of messages as Slack shows them (top-level messages and thread
 * replies mixed, any order): replies are grouped under their parent by `thread_ts`; a
 * `thread_broadcast` is both a reply and a top-level message, as in Slack.
 */
export function messagesOf(messages: readonly SlackMessage[]): MessageSource {
  const sorted = [...messages].sort((a, b) => (tsKey(a.ts) < tsKey(b.ts) ? -1 : 1));
  const top: SlackMessage[] = [];
  const replies = new Map<string, SlackMessage[]>();
  for (const m of sorted) {
    const isReply = m.thread_ts !== undefined && m.thread_ts !== m.ts;
    if (isReply) {
      const list = replies.get(m.thread_ts as string) ?? [];
      list.push(m);
      replies.set(m.thread_ts as string, list);
    }
    if (!isReply || m.subtype === 'thread_broadcast') top.push(m);
  }
  const index = new Map<string, { parent: number; reply: number }>();
  top.forEach((m, i) => {
    if (!index.has(m.ts)) index.set(m.ts, { parent: i, reply: -1 });
    (replies.get(m.ts) ?? []).forEach((r, j) => index.set(r.ts, { parent: i, reply: j }));
  });
  return {
    count: top.length,
    at: (i) => top[i],
    replies: (i) => (top[i].thread_ts === top[i].ts ? (replies.get(top[i].ts) ?? []) : []),
    locate: (ts) => index.get(ts),
  };
}
