import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { SyncConfig } from '../../config';
import { TightknitError, UsageError } from '../../errors';
import type { KindCounts, ObjectKind, AsyncStore, AsyncStoreWriter } from '../../store';
import { newReport, type SkippedInput, type SourceContext } from '../report';
import { FileChunks, StreamChunks, type ChunkSource } from './chunks';
import { applyFeedLines } from './index';
import { LineSplitter, type FeedLine } from './lines';
import type { FeedPosition } from '../../store';

/** How long a batch in hand waits for more lines before it is imported. */
const LINGER_MS = 50;

export interface FollowOptions {
  /** A feed file (resumed from the position saved in the store) or a stream such as standard input. */
  source: { path: string } | { stream: Readable; label?: string };
  store: AsyncStore;
  config: Pick<SyncConfig, 'engagement'>;
  /** Stops the follow after the lines already read are imported. */
  signal?: AbortSignal;
  /** Skip invalid lines (listed in each batch) instead of stopping. */
  skipInvalid?: boolean;
  /** Forget the saved position and read the file from its first line. */
  fromStart?: boolean;
  /** Most lines in one batch (one transaction). Default 5000. */
  batchLines?: number;
  /** How long to wait for more input when there is none. Default 500 ms. */
  pollMs?: number;
  /** Scores are computed as of this (default: now, at each batch). */
  now?: () => Date;
  /** After the follow has checked its input and before it reads: where it starts. */
  onStart?: (start: { source: string; line: number; offset: number | null }) => void;
  onBatch?: (batch: FollowBatch) => void;
}

export interface FollowBatch {
  firstLine: number;
  lastLine: number;
  /** Byte offset just past the batch's last line, saved with it (null for a stream). */
  offset: number | null;
  communities: KindCounts;
  members: KindCounts;
  activities: KindCounts & { deleted: number };
  skipped: SkippedInput[];
  ignored: Record<string, number>;
}

export interface FollowSummary {
  source: string;
  /** Why the follow ended: the signal, or the end of a stream. */
  stoppedBy: 'signal' | 'end-of-input';
  startedAtLine: number;
  line: number;
  offset: number | null;
  batches: number;
  linesRead: number;
  activities: { new: number; changed: number; deleted: number };
  skipped: SkippedInput[];
  totals: Record<ObjectKind, number>;
  maxSeq: number;
  durationMs: number;
}

function openFeedFile(path: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (err) {
    throw new UsageError('INPUT_NOT_FOUND', `${path} does not exist or cannot be read.`, {
      actions: ['Pass the path of an NDJSON event feed, or - to read the feed from standard input.'],
      cause: err,
    });
  }
  const head = Buffer.alloc(2);
  const isFile = statSync(real).isFile();
  let n = 0;
  if (isFile) {
    const fd = openSync(real, 'r');
    try {
      n = readSync(fd, head, 0, 2, 0);
    } finally {
      closeSync(fd);
    }
  }
  if (!isFile || (n === 2 && head[0] === 0x50 && head[1] === 0x4b)) {
    throw new UsageError('FOLLOW_NEEDS_FEED', `--follow reads an NDJSON event feed, and ${path} is a Slack export.`, {
      actions: ['Ingest the export without --follow.'],
    });
  }
  return real;
}

/** A failed batch: lines before it stay imported, and the saved position points at its first line. */
function batchFailed(err: unknown, resumeLine: number, file: boolean): unknown {
  if (!(err instanceof TightknitError) || err.code !== 'INVALID_INPUT') return err;
  const kept = err.actions.slice(0, -1);
  const where = file
    ? `Lines up to ${resumeLine} are imported; the next run resumes after line ${resumeLine}.`
    : `Lines up to ${resumeLine} are imported; this batch was not.`;
  return new UsageError(err.code, err.message, { actions: [...kept, where], cause: err });
}

/** The summary before the first batch: where the follow starts, and the store's totals then. */
async function newSummary(
  store: AsyncStore,
  label: string,
  startLine: number,
  offset: number | null,
): Promise<FollowSummary> {
  return {
    source: label,
    stoppedBy: 'signal',
    startedAtLine: startLine,
    line: startLine,
    offset,
    batches: 0,
    linesRead: 0,
    activities: { new: 0, changed: 0, deleted: 0 },
    skipped: [],
    totals: await store.counts(),
    maxSeq: await store.maxSeq(),
    durationMs: 0,
  };
}

/** Adds one committed batch to the summary: its lines, counts and skipped lines, and where it ended. */
function countBatch(
  summary: FollowSummary,
  report: SourceContext['report'],
  counts: Awaited<ReturnType<AsyncStoreWriter['commit']>>,
  line: number,
  offset: number | null,
): void {
  summary.batches += 1;
  summary.linesRead += report.linesRead;
  summary.line = line;
  summary.offset = offset;
  summary.activities.new += counts.activities.new;
  summary.activities.changed += counts.activities.changed;
  summary.activities.deleted += counts.activities.deleted;
  summary.skipped.push(...report.skipped);
}

/**
 * Follows an NDJSON event feed: reads lines as they are appended (a file) or arrive (a stream) and
 * imports them in batches, each batch one store transaction. For a file, the byte offset just past
 * the batch's last line is saved in that same transaction, so a restart resumes exactly there: a line
 * is imported once, and a line still being written (no newline yet) waits for its newline. A file
 * truncated or replaced under the saved position stops the follow with the reason.
 */
export async function followEventFeed(opts: FollowOptions): Promise<FollowSummary> {
  const started = Date.now();
  const { store, signal } = opts;
  const batchLines = opts.batchLines ?? 5000;
  const pollMs = opts.pollMs ?? 500;
  const isFile = 'path' in opts.source;
  const key = 'path' in opts.source ? openFeedFile(opts.source.path) : undefined;
  const label = 'path' in opts.source ? opts.source.path : (opts.source.label ?? 'standard input');
  const positions = key ? store.feedPositions : undefined;
  if (key && opts.fromStart) await positions!.forget(key);
  let saved: FeedPosition | undefined = key ? await positions!.get(key) : undefined;

  const file = key ? new FileChunks(key, saved) : undefined;
  const chunks: ChunkSource = file ?? new StreamChunks((opts.source as { stream: Readable }).stream);
  const startLine = saved?.line ?? 0;
  const splitter = new LineSplitter(saved?.offset ?? 0, startLine, label);
  const summary = await newSummary(store, label, startLine, isFile ? (saved?.offset ?? 0) : null);
  opts.onStart?.({ source: label, line: startLine, offset: summary.offset });

  let batch: FeedLine[] = [];
  const flush = async (): Promise<void> => {
    if (!batch.length) return;
    const lines = batch;
    batch = [];
    const last = lines[lines.length - 1];
    const report = newReport('event-feed');
    const writer = await store.beginWrite();
    try {
      const ctx: SourceContext = {
        writer,
        includePrivate: false,
        skipInvalid: opts.skipInvalid ?? false,
        workspace: {},
        report,
      };
      await applyFeedLines({ label, total: 0, read: () => lines.map((l) => [l.line, l.text]) }, ctx);
      const position = file?.positionAt(last.end, last.line, saved);
      // In the batch's own write: the position moves with the lines it covers, or not at all.
      if (position) await writer.feedPositions.save(key!, position);
      const counts = await writer.commit(opts.now?.() ?? new Date(), opts.config.engagement);
      saved = position;
      countBatch(summary, report, counts, last.line, position?.offset ?? null);
      opts.onBatch?.({
        firstLine: lines[0].line,
        lastLine: last.line,
        offset: summary.offset,
        ...counts,
        skipped: report.skipped,
        ignored: report.ignored,
      });
    } catch (err) {
      await writer.rollback();
      throw batchFailed(err, summary.line, isFile);
    }
  };

  try {
    while (!signal?.aborted) {
      const chunk = chunks.next();
      if (chunk === null) {
        const lastLine = splitter.end();
        if (lastLine) batch.push(lastLine);
        summary.stoppedBy = 'end-of-input';
        break;
      }
      if (chunk.length) {
        for (const line of splitter.push(chunk)) {
          batch.push(line);
          if (batch.length >= batchLines) await flush();
        }
        continue;
      }
      // Nothing more for now: a batch in hand waits a moment for more (a stream delivers in pieces),
      // then is imported; with none, wait for input.
      if (await chunks.wait(batch.length ? LINGER_MS : pollMs, signal)) continue;
      await flush();
      const at = saved ?? file?.positionAt(0, 0, undefined);
      if (file && at && file.check(at, splitter.receivedOffset)) splitter.reset(at.offset, at.line);
    }
    await flush();
  } finally {
    chunks.close();
  }
  summary.totals = await store.counts();
  summary.maxSeq = await store.maxSeq();
  summary.durationMs = Date.now() - started;
  return summary;
}
