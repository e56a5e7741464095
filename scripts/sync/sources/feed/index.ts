import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { countIgnored, type SourceContext } from '../report';
import { FeedApplier, type MemberChange } from './apply';
import { parseFeedEvent, type CommunityEvent, type FeedEvent } from './schema';

/** Lines worth parsing in the first pass: community and member events and activity removals. */
const STATE_LINE = /"type"\s*:\s*"(?:member\.|community\.|[a-z0-9_]+\.(?:deleted|removed)")/;

async function* readLines(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<[number, string]> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (n % 5000 === 0) onBytes?.(input.bytesRead);
    yield [n, n === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line];
  }
}

function parseLine(line: string): { ok: true; value: FeedEvent } | { ok: false; problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return { ok: false, problem: `not valid JSON: ${(err as Error).message}` };
  }
  return parseFeedEvent(raw);
}

/** Numbered lines of a feed that can be read more than once (the import makes two passes). */
export interface FeedLines {
  /** The file path, or "standard input", for messages and skipped lines. */
  label: string;
  /** Bytes in all, for progress (0: no progress is reported). */
  total: number;
  read(onBytes?: (bytes: number) => void): AsyncIterable<[number, string]> | Iterable<[number, string]>;
}

/**
 * Imports an NDJSON event feed, streaming it twice (never whole in memory). The first pass folds each
 * community's and member's events into their final state and notes removed activities; the second
 * applies events in file order, writing each community and member once, in its final state. Replaying
 * the same feed therefore changes nothing, and an activity by a member deleted later in the feed is
 * stored already deleted.
 */
export async function ingestEventFeed(path: string, ctx: SourceContext): Promise<void> {
  const total = statSync(path).size;
  await applyFeedLines({ label: path, total, read: (onBytes) => readLines(path, onBytes) }, ctx);
  ctx.report.filesRead += 1;
}

/** Applies feed lines to the writer of `ctx`, as ingestEventFeed describes (a followed feed: one batch). */
export async function applyFeedLines(feed: FeedLines, ctx: SourceContext): Promise<void> {
  const { writer, report } = ctx;
  const { label: path, total } = feed;
  const file = basename(path);

  // Pass 1: the final state of communities and members, and removed activities.
  const communityEvents = new Map<string, CommunityEvent['community'][]>();
  const memberChanges = new Map<string, MemberChange[]>();
  const removed = new Set<string>();
  for await (const [lineNo, line] of feed.read()) {
    if (!STATE_LINE.test(line)) continue;
    const parsed = parseLine(line);
    if (!parsed.ok) continue; // reported in pass 2, at its place
    const ev = parsed.value;
    if (ev.kind === 'community') {
      const list = communityEvents.get(ev.event.community.id) ?? [];
      list.push(ev.event.community);
      communityEvents.set(ev.event.community.id, list);
    } else if (ev.kind === 'member' || ev.kind === 'member-deleted') {
      const id = ev.kind === 'member' ? ev.event.member.id : ev.event.member_id;
      const list = memberChanges.get(id) ?? [];
      list.push({ line: lineNo, event: ev.event });
      memberChanges.set(id, list);
    } else if (ev.kind === 'activity-removed') {
      removed.add(ev.event.id);
    }
  }

  const apply = new FeedApplier(ctx, path, { communityEvents, memberChanges, removed });
  const bad = (problem: string, fix: string): void => apply.bad(problem, fix);

  // Pass 2: every line in order.
  const progress = (bytes: number): void => {
    if (total > 0) ctx.onProgress?.({ phase: 'feed', done: bytes, total, detail: file });
  };
  for await (const [n, line] of feed.read(progress)) {
    apply.lineNo = n;
    if (line.trim() === '') continue;
    report.linesRead += 1;
    const parsed = parseLine(line);
    if (!parsed.ok) {
      bad(parsed.problem, 'Fix the line to match schemas/event-feed.schema.json (see docs/sources.md).');
      continue;
    }
    const ev = parsed.value;
    switch (ev.kind) {
      case 'community':
        await apply.community(ev.event);
        break;
      case 'member':
        await apply.memberChange(
          ev.event.community_id,
          ev.event.member.id,
          'Give a new member a name in its first event.',
        );
        break;
      case 'member-deleted':
        await apply.memberChange(
          ev.event.community_id,
          ev.event.member_id,
          'Remove the line, or send the member.created event before it.',
        );
        break;
      case 'activity-removed':
        if (!(await writer.deleteActivity(ev.event.id)) && !(await writer.activityMember(ev.event.id))) {
          countIgnored(report, `${ev.event.type} of an unknown activity`);
        }
        break;
      case 'activity':
        await apply.activity(ev.event);
        break;
    }
  }
  progress(total);
}
