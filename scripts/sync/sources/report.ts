import type { AsyncStoreWriter } from '../store';
import { UsageError } from '../errors';

/** One file or line left out with --skip-invalid (or by rule, e.g. private conversations). */
export interface SkippedInput {
  file: string;
  line?: number;
  reason: string;
  /** For a folder left out: how many day files it holds (none of them imported). */
  dayFiles?: number;
}

export interface IngestProgress {
  phase: 'members' | 'channels' | 'feed' | 'finishing';
  done: number;
  total: number;
  /** What is being read, e.g. "general/2026-01-05.json". */
  detail?: string;
}

/** What a source reports besides the store's own counts. */
export interface SourceReport {
  kind: 'slack-export' | 'event-feed';
  skipped: SkippedInput[];
  /** Placeholder members of the imported community: users that activity names but the user list lacks. */
  placeholders: number;
  /** Source records that are not activities (channel_leave, topic changes, tombstones, ...), by source type. */
  ignored: Record<string, number>;
  privateConversationsSkipped: number;
  filesRead: number;
  /** Day files skipped because they are byte-identical to the last import (same users, same channel). */
  filesUnchanged: number;
  linesRead: number;
}

export interface SourceContext {
  writer: AsyncStoreWriter;
  includePrivate: boolean;
  skipInvalid: boolean;
  workspace: { name?: string; domain?: string };
  report: SourceReport;
  onProgress?: (p: IngestProgress) => void;
}

export function newReport(kind: SourceReport['kind']): SourceReport {
  return {
    kind,
    skipped: [],
    placeholders: 0,
    ignored: {},
    privateConversationsSkipped: 0,
    filesRead: 0,
    filesUnchanged: 0,
    linesRead: 0,
  };
}

/**
 * Bad input: without --skip-invalid it stops the ingest (the caller rolls the transaction back); with it,
 * the file or line is listed in the summary and the ingest goes on.
 */
export function invalidInput(
  ctx: SourceContext,
  where: { file: string; line?: number },
  problem: string,
  fix: string,
): void {
  const place = where.line === undefined ? where.file : `${where.file} line ${where.line}`;
  if (ctx.skipInvalid) {
    ctx.report.skipped.push({ file: where.file, line: where.line, reason: problem });
    return;
  }
  throw new UsageError('INVALID_INPUT', `${place}: ${problem}`, {
    actions: [
      fix,
      'Or run the ingest again with --skip-invalid to skip it and import the rest (the summary lists what was skipped).',
      'Nothing was imported: the store is unchanged.',
    ],
  });
}

export function countIgnored(report: SourceReport, sourceType: string): void {
  report.ignored[sourceType] = (report.ignored[sourceType] ?? 0) + 1;
}
