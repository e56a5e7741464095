import { type FollowBatch, followEventFeed, type FollowSummary, loadConfig, openAsyncStore } from '../../sync';
import { logJson, printResult, type GlobalOptions } from '../output';
import { stopOnSignals } from './run-output';

export interface FollowFlags {
  skipInvalid?: boolean;
  fromStart?: boolean;
}

function counts(c: { new: number; changed: number }): string {
  return `${c.new} new, ${c.changed} changed`;
}

function renderBatch(b: FollowBatch): string {
  const lines = b.firstLine === b.lastLine ? `line ${b.lastLine}` : `lines ${b.firstLine}-${b.lastLine}`;
  const deleted = b.activities.deleted ? `, ${b.activities.deleted} deleted` : '';
  const out = [`${lines}: activities ${counts(b.activities)}${deleted}; members ${counts(b.members)}`];
  for (const k of b.skipped) out.push(`  skipped line ${k.line ?? '?'}: ${k.reason}`);
  return out.join('\n');
}

function renderFollowSummary(s: FollowSummary): string {
  const how = s.stoppedBy === 'signal' ? 'Stopped following' : 'Finished reading';
  const resume = s.offset === null ? '' : ` The next --follow resumes after line ${s.line}.`;
  const skipped = s.skipped.length ? `; ${s.skipped.length} line(s) skipped` : '';
  return [
    `${how} ${s.source} at line ${s.line}: ${s.linesRead} line(s) in ${s.batches} batch(es); activities ${counts(s.activities)}, ${s.activities.deleted} deleted${skipped}.${resume}`,
    `  AsyncStore now holds ${s.totals.community} communities, ${s.totals.member} members, ${s.totals.activity} activities (change sequence ${s.maxSeq}).`,
  ].join('\n');
}

/**
 * `ingest --follow <feed | ->`: imports a feed as it grows until Ctrl-C (or the end of standard input).
 * Human output: a line per batch, then the summary; --json: a JSON line per batch on stderr, and the
 * summary in the envelope on stdout.
 */
export async function runFollow(path: string, flags: FollowFlags, opts: GlobalOptions): Promise<void> {
  const config = loadConfig(opts.stateDir);
  const store = openAsyncStore({ stateDir: opts.stateDir });
  const stop = stopOnSignals(() => {
    if (!opts.json && !opts.quiet) process.stderr.write('Stopping after the lines already read are imported...\n');
  });
  try {
    const summary = await followEventFeed({
      source: path === '-' ? { stream: process.stdin } : { path },
      store,
      config,
      signal: stop.signal,
      skipInvalid: flags.skipInvalid,
      fromStart: flags.fromStart,
      onStart: (s) => {
        if (opts.json || opts.quiet) return;
        const from = s.line ? `after line ${s.line} (byte ${s.offset})` : 'from its first line';
        process.stderr.write(`Following ${s.source} ${from}; Ctrl-C to stop.\n`);
      },
      onBatch: (b) => {
        if (opts.json) logJson({ event: 'batch', batch: b });
        else if (!opts.quiet) process.stdout.write(`${renderBatch(b)}\n`);
      },
    });
    printResult(opts, summary, () => renderFollowSummary(summary));
  } finally {
    stop.dispose();
    await store.close();
  }
}
