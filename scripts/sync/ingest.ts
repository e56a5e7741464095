import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { SyncConfig } from './config';
import { UsageError } from './errors';
import { ingestEventFeed } from './sources/feed';
import { openFolderExport, openZipExport, type ExportFiles } from './sources/export-files';
import { newReport, type IngestProgress, type SkippedInput, type SourceContext } from './sources/report';
import { ingestSlackExport } from './sources/slack/export';
import type { AsyncStore, KindCounts, ObjectKind } from './store';

export type { IngestProgress, SkippedInput } from './sources/report';

export interface IngestOptions {
  /** A Slack export folder, a Slack export .zip, or an NDJSON event feed file. */
  path: string;
  store: AsyncStore;
  config: Pick<SyncConfig, 'engagement'>;
  /** Also import private channels, group DMs and DMs (groups.json, mpims.json, dms.json). */
  includePrivate?: boolean;
  /** Skip invalid files and lines (listed in the summary) instead of stopping. */
  skipInvalid?: boolean;
  /** Community name for a Slack export (default: the stored name, else the folder or zip name). */
  workspaceName?: string;
  /** Slack subdomain ("acme" for acme.slack.com): enables permalinks. Default: the stored one. */
  workspaceDomain?: string;
  /** Scores are computed as of this day (default: now). */
  now?: Date;
  onProgress?: (progress: IngestProgress) => void;
}

type SourceKind = 'slack-export-folder' | 'slack-export-zip' | 'event-feed';

export interface IngestSummary {
  path: string;
  source: SourceKind;
  communities: KindCounts;
  members: KindCounts & { placeholders: number };
  activities: KindCounts & { deleted: number };
  skipped: SkippedInput[];
  /** Source records that are not activities, by source type (channel_leave, tombstone, ...). */
  ignored: Record<string, number>;
  privateConversationsSkipped: number;
  filesRead: number;
  /** Day files skipped as byte-identical to the last import (their activities count as unchanged). */
  filesUnchanged: number;
  linesRead: number;
  /** Not-deleted rows in the store after the ingest. */
  totals: Record<ObjectKind, number>;
  maxSeq: number;
  durationMs: number;
}

function detectSource(path: string): SourceKind {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw new UsageError('INPUT_NOT_FOUND', `${path} does not exist or cannot be read.`, {
      actions: ['Pass the path of a Slack export (folder or .zip) or of an NDJSON event feed.'],
      cause: err,
    });
  }
  if (isDir) return 'slack-export-folder';
  const head = Buffer.alloc(64);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (n >= 2 && head[0] === 0x50 && head[1] === 0x4b) return 'slack-export-zip';
  if (/\.zip$/i.test(path)) return 'slack-export-zip';
  const start = head
    .subarray(0, n)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (start.startsWith('{') || n === 0) return 'event-feed';
  throw new UsageError(
    'UNKNOWN_INPUT',
    `${path} is neither a Slack export (a folder or .zip) nor an NDJSON event feed (one JSON object per line).`,
    {
      actions: [
        'For a Slack export, pass the .zip or the folder with users.json and channels.json, not a single file from it.',
      ],
    },
  );
}

/**
 * Imports a source into the store in one transaction: on any error (without --skip-invalid) nothing is
 * written. Member statistics and engagement are recomputed at the end for every member.
 */
export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  const started = Date.now();
  const source = detectSource(options.path);
  const report = newReport(source === 'event-feed' ? 'event-feed' : 'slack-export');
  let files: ExportFiles | undefined;
  const writer = await options.store.beginWrite();
  try {
    const ctx: SourceContext = {
      writer,
      includePrivate: options.includePrivate ?? false,
      skipInvalid: options.skipInvalid ?? false,
      workspace: { name: options.workspaceName, domain: options.workspaceDomain },
      report,
      onProgress: options.onProgress,
    };
    if (source === 'event-feed') {
      await ingestEventFeed(options.path, ctx);
    } else {
      files = source === 'slack-export-zip' ? await openZipExport(options.path) : openFolderExport(options.path);
      await ingestSlackExport(files, ctx);
    }
    options.onProgress?.({ phase: 'finishing', done: 0, total: 1 });
    const counts = await writer.commit(options.now ?? new Date(), options.config.engagement);
    options.onProgress?.({ phase: 'finishing', done: 1, total: 1 });
    return {
      path: options.path,
      source,
      communities: counts.communities,
      members: { ...counts.members, placeholders: report.placeholders },
      activities: counts.activities,
      skipped: report.skipped,
      ignored: report.ignored,
      privateConversationsSkipped: report.privateConversationsSkipped,
      filesRead: report.filesRead,
      filesUnchanged: report.filesUnchanged,
      linesRead: report.linesRead,
      totals: await options.store.counts(),
      maxSeq: await options.store.maxSeq(),
      durationMs: Date.now() - started,
    };
  } catch (err) {
    await writer.rollback();
    throw err;
  } finally {
    files?.close();
  }
}
