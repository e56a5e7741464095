import { tsKey } from '../ts';
import { ChannelFixture, MessageSource, SlackChannel, SlackMessage } from '../types';

export interface HistoryQuery {
  limit: number;
  /** Exclusive upper bound from a cursor (next page starts below it). */
  before?: string;
  oldest?: string;
  latest?: string;
  inclusive: boolean;
}

export interface Page {
  messages: SlackMessage[];
  hasMore: boolean;
  /** ts of the last message returned when more follow. */
  nextTs?: string;
}

/**
 * One conversation: the fixture's messages (read lazily) under an overlay of what changed since —
 * messages posted, edited, deleted — so a million-message fixture is never copied.
 */
export class ChannelState {
  readonly channel: SlackChannel;
  botMember: boolean;
  private readonly base: MessageSource;
  /** Top-level messages posted after start, oldest first (their ts exceed every base ts). */
  private readonly posted: SlackMessage[] = [];
  /** Replies posted after start, per thread ts. */
  private readonly postedReplies = new Map<string, SlackMessage[]>();
  /** Edited (a new object) or deleted (null) messages, by ts. */
  private readonly overrides = new Map<string, SlackMessage | null>();

  constructor(fixture: ChannelFixture) {
    this.channel = { ...fixture.channel };
    this.botMember = fixture.botMember;
    this.base = fixture.messages;
  }

  get topLevelCount(): number {
    return this.base.count + this.posted.length;
  }

  /** Newest ts in the channel, or undefined when empty. */
  newestTs(): string | undefined {
    const n = this.topLevelCount;
    if (n === 0) return undefined;
    const last = this.rawAt(n - 1).ts;
    const replies = this.repliesOfIndex(n - 1);
    const lastReply = replies.length ? replies[replies.length - 1].ts : undefined;
    return lastReply && tsKey(lastReply) > tsKey(last) ? lastReply : last;
  }

  private rawAt(i: number): SlackMessage {
    return i < this.base.count ? this.base.at(i) : this.posted[i - this.base.count];
  }

  private view(m: SlackMessage): SlackMessage | null {
    const o = this.overrides.get(m.ts);
    return o === undefined ? m : o;
  }

  /** Index of the first top-level message whose ts is > key (or >= key when `orEqual`). */
  private lowerBound(key: string, orEqual: boolean): number {
    let lo = 0;
    let hi = this.topLevelCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = tsKey(this.rawAt(mid).ts);
      if (k > key || (orEqual && k === key)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** conversations.history: top-level messages newest first within the bounds. */
  history(q: HistoryQuery): Page {
    const oldest = q.oldest ? tsKey(q.oldest) : '';
    const latest = q.latest ? tsKey(q.latest) : '';
    // Upper end: exclusive below the cursor; below `latest` (or at it when inclusive).
    let end = this.topLevelCount;
    if (latest) end = this.lowerBound(latest, !q.inclusive);
    if (q.before) end = Math.min(end, this.lowerBound(tsKey(q.before), true));
    const start = oldest ? this.lowerBound(oldest, q.inclusive) : 0;
    const out: SlackMessage[] = [];
    let i = end - 1;
    for (; i >= start && out.length < q.limit; i--) {
      const m = this.view(this.rawAt(i));
      if (m) out.push(m);
    }
    let hasMore = false;
    for (let j = i; j >= start; j--) {
      if (this.view(this.rawAt(j))) {
        hasMore = true;
        break;
      }
    }
    return { messages: out, hasMore, nextTs: hasMore ? out[out.length - 1]?.ts : undefined };
  }

  private repliesOfIndex(i: number): SlackMessage[] {
    const parent = this.rawAt(i);
    const base = i < this.base.count ? this.base.replies(i) : [];
    return [...base, ...(this.postedReplies.get(parent.ts) ?? [])];
  }

  /** The message with this ts (top-level or reply), as currently visible; undefined if none or deleted. */
  find(ts: string): { message: SlackMessage; parentIndex: number; isReply: boolean } | undefined {
    const key = tsKey(ts);
    let loc = this.base.locate(ts);
    let parentIndex: number;
    let raw: SlackMessage | undefined;
    if (loc) {
      parentIndex = loc.parent;
      raw = loc.reply < 0 ? this.base.at(loc.parent) : this.base.replies(loc.parent)[loc.reply];
    } else {
      const p = this.lowerBound(key, true);
      if (p < this.topLevelCount && tsKey(this.rawAt(p).ts) === key) {
        parentIndex = p;
        raw = this.rawAt(p);
        loc = { parent: p, reply: -1 };
      } else {
        for (const [threadTs, list] of this.postedReplies) {
          const r = list.find((m) => tsKey(m.ts) === key);
          if (r) {
            parentIndex = this.lowerBound(tsKey(threadTs), true);
            raw = r;
            loc = { parent: parentIndex, reply: 0 };
            break;
          }
        }
        if (!raw || !loc) return undefined;
        parentIndex = loc.parent;
      }
    }
    const message = raw ? this.view(raw) : null;
    return message ? { message, parentIndex, isReply: loc.reply >= 0 } : undefined;
  }

  /** conversations.replies: the parent then its replies, oldest first; undefined when ts is unknown. */
  thread(ts: string): SlackMessage[] | undefined {
    const found = this.find(ts);
    if (!found) {
      // A deleted parent with replies still answers, as Slack's tombstone does.
      return undefined;
    }
    if (found.isReply) return [found.message];
    const replies = this.repliesOfIndex(found.parentIndex)
      .map((m) => this.view(m))
      .filter((m): m is SlackMessage => m !== null);
    return [found.message, ...replies];
  }

  /** Adds a message posted now; replies go under their thread, broadcasts also to the top level. */
  add(m: SlackMessage): void {
    const isReply = m.thread_ts !== undefined && m.thread_ts !== m.ts;
    if (isReply) {
      const list = this.postedReplies.get(m.thread_ts as string) ?? [];
      list.push(m);
      this.postedReplies.set(m.thread_ts as string, list);
    }
    if (!isReply || m.subtype === 'thread_broadcast') this.posted.push(m);
  }

  /** Replaces a message's visible state (an edit, a reaction, a thread's counters), or hides it (null). */
  override(ts: string, m: SlackMessage | null): void {
    this.overrides.set(ts, m);
  }
}
