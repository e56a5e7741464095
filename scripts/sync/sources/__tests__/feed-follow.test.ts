import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { DEFAULT_ENGAGEMENT } from '../../engagement';
import { UsageError } from '../../errors';
import type { FeedPosition, AsyncStore } from '../../store';
import { followEventFeed, type FollowBatch, type FollowOptions, type FollowSummary } from '../feed/follow';
import { NOW, cleanup, newStore, tempDir } from './helpers';

const REPO = join(__dirname, '..', '..', '..', '..');

const community = (): string =>
  JSON.stringify({ type: 'community.created', community: { id: 'tk:acme', name: 'Acme', platform: 'Other' } });
const member = (n: number): string =>
  JSON.stringify({ type: 'member.created', community_id: 'tk:acme', member: { id: `tk:acme:m${n}`, name: `M ${n}` } });
const post = (n: number): string =>
  JSON.stringify({
    type: 'post.created',
    id: `tk:post:${n}`,
    community_id: 'tk:acme',
    member_id: 'tk:acme:m1',
    occurred_at: '2026-01-10T10:00:00Z',
  });
const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');

async function waitFor(what: string, ok: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A follow running in the background, stopped with stop(). */
function follow(
  store: AsyncStore,
  source: FollowOptions['source'],
  extra: Partial<FollowOptions> = {},
): { batches: FollowBatch[]; done: Promise<FollowSummary>; stop: () => Promise<FollowSummary> } {
  const controller = new AbortController();
  const batches: FollowBatch[] = [];
  const done = followEventFeed({
    source,
    store,
    config: { engagement: DEFAULT_ENGAGEMENT },
    signal: controller.signal,
    pollMs: 10,
    now: () => NOW,
    onBatch: (b) => batches.push(b),
    ...extra,
  });
  return {
    batches,
    done,
    stop: () => {
      controller.abort();
      return done;
    },
  };
}

describe('ingest --follow of an NDJSON feed', () => {
  let dir: string;
  let store: AsyncStore;
  let feed: string;

  beforeEach(() => {
    dir = tempDir();
    store = newStore(dir);
    feed = join(dir, 'feed.ndjson');
  });
  afterEach(async () => {
    await store.close();
    cleanup(dir);
  });

  const activities = async (): Promise<number> => (await store.counts()).activity;
  const position = (): Promise<FeedPosition | undefined> => store.feedPositions.get(feed);

  it('imports lines appended while following, and a restart resumes at the saved offset', async () => {
    writeFileSync(feed, lines(community(), member(1), post(1)));
    const first = follow(store, { path: feed });
    await waitFor('the first lines', async () => (await activities()) === 1);
    appendFileSync(feed, lines(post(2), post(3)));
    await waitFor('the appended lines', async () => (await activities()) === 3);
    const one = await first.stop();
    expect(one).toMatchObject({ stoppedBy: 'signal', line: 5, offset: statSync(feed).size, linesRead: 5 });
    expect(one.activities.new).toBe(3);
    expect(first.batches.map((b) => [b.firstLine, b.lastLine])).toEqual([
      [1, 3],
      [4, 5],
    ]);
    expect(await position()).toMatchObject({ offset: statSync(feed).size, line: 5 });

    // Stopped, two more lines written, started again: only those two are read.
    appendFileSync(feed, lines(post(4), '', post(5)));
    let startedAt: number | undefined;
    const second = follow(store, { path: feed }, { onStart: (s) => (startedAt = s.line) });
    await waitFor('the lines written while stopped', async () => (await activities()) === 5);
    const two = await second.stop();
    expect(startedAt).toBe(5);
    expect(second.batches).toHaveLength(1);
    expect(second.batches[0]).toMatchObject({ firstLine: 6, lastLine: 8 });
    expect(second.batches[0].activities).toMatchObject({ new: 2, changed: 0, unchanged: 0 });
    expect(two).toMatchObject({ startedAtLine: 5, line: 8, linesRead: 2 });
  });

  it('waits for the newline of a partial last line, also across a restart', async () => {
    const partial = post(2);
    writeFileSync(feed, lines(community(), member(1), post(1)) + partial.slice(0, 30));
    const size = statSync(feed).size;
    const first = follow(store, { path: feed });
    await waitFor('the complete lines', async () => (await activities()) === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(await activities()).toBe(1);
    await first.stop();
    expect((await position())!.offset).toBe(size - 30);

    const second = follow(store, { path: feed });
    await new Promise((r) => setTimeout(r, 100));
    appendFileSync(feed, `${partial.slice(30)}\n`);
    await waitFor('the completed line', async () => (await activities()) === 2);
    const summary = await second.stop();
    expect(summary).toMatchObject({ line: 4, offset: statSync(feed).size });
    expect(await store.getActivity('tk:post:2')).toBeDefined();
  });

  it('imports batches of at most batchLines lines, each with its offset', async () => {
    writeFileSync(feed, lines(community(), member(1), ...[1, 2, 3, 4, 5].map(post)));
    const f = follow(store, { path: feed }, { batchLines: 3 });
    await waitFor('all lines', async () => (await activities()) === 5);
    await f.stop();
    expect(f.batches.map((b) => b.lastLine)).toEqual([3, 6, 7]);
    expect(f.batches[2].offset).toBe(statSync(feed).size);
  });

  describe('a file truncated or replaced', () => {
    beforeEach(async () => {
      writeFileSync(feed, lines(community(), member(1), post(1), post(2)));
      const f = follow(store, { path: feed });
      await waitFor('the feed', async () => (await activities()) === 2);
      await f.stop();
    });

    it('is refused on restart, and --from-start reads the new file from its first line', async () => {
      writeFileSync(feed, lines(community(), member(2)));
      const truncated = await follow(store, { path: feed }).done.catch((e: unknown) => e);
      expect(truncated).toBeInstanceOf(UsageError);
      expect((truncated as UsageError).code).toBe('FEED_TRUNCATED');
      expect((truncated as UsageError).message).toMatch(/shorter than the \d+ bytes \(4 lines\) already imported/);
      expect((truncated as UsageError).actions[0]).toContain('--from-start');

      // As long as before, but other lines: the first bytes differ.
      writeFileSync(feed, lines(community(), member(2), post(7), post(8), post(9)));
      const replaced = await follow(store, { path: feed }).done.catch((e: unknown) => e);
      expect((replaced as UsageError).code).toBe('FEED_REPLACED');

      const again = follow(store, { path: feed }, { fromStart: true });
      await waitFor('the new file', async () => (await activities()) === 5);
      expect((await again.stop()).startedAtLine).toBe(0);
      expect(await position()).toMatchObject({ line: 5, offset: statSync(feed).size });
    });

    it('stops a running follow with the reason', async () => {
      const f = follow(store, { path: feed });
      await new Promise((r) => setTimeout(r, 50));
      writeFileSync(feed, lines(community()));
      const error = await f.done.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).code).toBe('FEED_TRUNCATED');
      expect((error as UsageError).message).toContain('was truncated while being followed');
    });

    it('stops at a rotation, but follows a rewrite that keeps the imported lines', async () => {
      const f = follow(store, { path: feed });
      await new Promise((r) => setTimeout(r, 50));
      // Written to a new file and renamed over the feed, with one more line: followed on.
      const tmp = `${feed}.tmp`;
      writeFileSync(tmp, lines(community(), member(1), post(1), post(2), post(3)));
      renameSync(tmp, feed);
      await waitFor('the line of the rewritten file', async () => (await activities()) === 3);
      // Rotated: the feed moves aside and a new one begins under its name.
      renameSync(feed, `${feed}.1`);
      writeFileSync(feed, lines(community(), member(5), post(50), post(51), post(52), post(53)));
      const error = await f.done.catch((e: unknown) => e);
      expect((error as UsageError).code).toBe('FEED_REPLACED');
      expect(await activities()).toBe(3);
    });
  });

  it('stops at an invalid line without --skip-invalid, keeping the batches before it', async () => {
    writeFileSync(feed, lines(community(), member(1), post(1), '{"type":"post.created"', post(2)));
    const error = await follow(store, { path: feed }, { batchLines: 3 }).done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain('line 4: not valid JSON');
    expect((error as UsageError).actions.at(-1)).toBe('Lines up to 3 are imported; the next run resumes after line 3.');
    expect((await position())!.line).toBe(3);

    const skipping = follow(store, { path: feed }, { skipInvalid: true });
    await waitFor('the rest', async () => (await activities()) === 2);
    const summary = await skipping.stop();
    expect(summary.skipped).toEqual([expect.objectContaining({ line: 4 })]);
  });

  it('reads a stream to its end, a last line without newline included, and saves no offset', async () => {
    const input = new PassThrough();
    const f = follow(store, { stream: input });
    input.write(lines(community(), member(1)));
    input.write(post(1).slice(0, 20));
    await new Promise((r) => setTimeout(r, 50));
    input.write(`${post(1).slice(20)}\n`);
    await waitFor('the streamed line', async () => (await activities()) === 1);
    input.end(post(2));
    const summary = await f.done;
    expect(summary).toMatchObject({ stoppedBy: 'end-of-input', line: 4, offset: null, source: 'standard input' });
    expect(await activities()).toBe(2);
  });

  it('gathers a stream that arrives in quick pieces into one batch', async () => {
    const input = new PassThrough();
    const f = follow(store, { stream: input }, { pollMs: 1000 });
    input.write(lines(community(), member(1)));
    for (let i = 1; i <= 20; i++) {
      await new Promise((r) => setTimeout(r, 2));
      input.write(lines(post(i)));
    }
    input.end();
    const summary = await f.done;
    expect(summary).toMatchObject({ stoppedBy: 'end-of-input', line: 22, batches: 1 });
    expect(await activities()).toBe(20);
  });

  it('follows standard input from the CLI: tightknit-sync ingest --follow -', async () => {
    const args = ['scripts/cli/main.ts', '--state-dir', join(dir, 'cli-state'), '--json', 'ingest', '--follow', '-'];
    const child = spawn(process.execPath, [join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), ...args], {
      cwd: REPO,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(lines(community(), member(1), post(1)) + post(2));
    const [status] = (await once(child, 'close')) as [number | null];
    expect(status).toBe(0);
    // Batches are log lines on stderr; stdout holds one object, the envelope with the summary.
    const batches = stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; batch: FollowBatch })
      .map((l) => l.batch);
    expect(batches.reduce((n, b) => n + b.activities.new, 0)).toBe(2);
    expect(batches.at(-1)!.lastLine).toBe(4);
    expect(JSON.parse(stdout)).toMatchObject({
      status: 0,
      result: { stoppedBy: 'end-of-input', line: 4, offset: null, totals: { activity: 2 } },
      warnings: [],
    });
  }, 60_000);
});
