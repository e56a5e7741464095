import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import {
  ingest,
  type IngestProgress,
  type IngestSummary,
  loadConfig,
  openAsyncStore,
  type SkippedInput,
  type SyncConfig,
  UsageError,
} from '../../sync';
import { printResult, type GlobalOptions } from '../output';
import { serverModule, withStateLocation, cliSupport, type StateLocation } from '../server-mode';
import { openLocationStore } from '../state';
import { runFollow } from './ingest-follow';

interface IngestFlags {
  includePrivate?: boolean;
  skipInvalid?: boolean;
  workspaceName?: string;
  workspaceDomain?: string;
  follow?: boolean;
  fromStart?: boolean;
}

const PHASES: Record<IngestProgress['phase'], string> = {
  members: 'Reading members',
  channels: 'Reading channels',
  feed: 'Reading events',
  finishing: 'Scoring members',
};

/** A progress bar on a terminal, a line per phase otherwise, nothing for --json or --quiet. */
function progressReporter(opts: GlobalOptions): { onProgress?: (p: IngestProgress) => void; stop: () => void } {
  if (opts.json || opts.quiet) return { stop: () => undefined };
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      format: '{phase} [{bar}] {value}/{total} {detail}',
      hideCursor: true,
      clearOnComplete: true,
      stream: process.stderr,
    });
    let phase: IngestProgress['phase'] | null = null;
    return {
      onProgress: (p) => {
        if (p.phase !== phase) {
          if (phase) bar.stop();
          phase = p.phase;
          bar.start(p.total, p.done, { phase: PHASES[p.phase], detail: p.detail ?? '' });
        } else {
          bar.setTotal(p.total);
          bar.update(p.done, { detail: p.detail ?? '' });
        }
      },
      stop: () => bar.stop(),
    };
  }
  let phase: IngestProgress['phase'] | null = null;
  return {
    onProgress: (p) => {
      if (p.phase === phase) return;
      phase = p.phase;
      process.stderr.write(`${PHASES[p.phase]}...\n`);
    },
    stop: () => undefined,
  };
}

function counts(c: { new: number; changed: number; unchanged: number }): string {
  return `${c.new} new, ${c.changed} changed, ${c.unchanged} unchanged`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Folders of an export that no conversation list names: everything in them is left out, so the
 * summary ends with a warning that says so, not with one more skipped line among others.
 */
function leftOutWarning(folders: SkippedInput[]): string[] {
  if (!folders.length) return [];
  const names = folders.map((f) => f.file.replace(/\/$/, ''));
  const files = folders.reduce((n, f) => n + (f.dayFiles ?? 0), 0);
  const what =
    folders.length === 1
      ? `${names[0]} — its ${plural(files, 'day file')} ${files === 1 ? 'was' : 'were'} not imported`
      : `${folders.map((f, i) => `${names[i]} (${plural(f.dayFiles ?? 0, 'day file')})`).join(', ')} — their ${plural(files, 'day file')} were not imported`;
  return [
    '',
    `Warning: ${plural(folders.length, 'folder')} left out (not in channels.json): ${what}.`,
    '  → A channel folder must have exactly the name channels.json gives it (groups.json, mpims.json or dms.json for',
    '    private conversations, with --include-private). If the export was unpacked and zipped again by another tool,',
    '    ingest the .zip exactly as Slack produced it.',
  ];
}

export function renderSummary(s: IngestSummary): string {
  const kind =
    s.source === 'event-feed' ? 'event feed' : s.source === 'slack-export-zip' ? 'Slack export (zip)' : 'Slack export';
  const lines = [
    `Imported ${kind} ${s.path}`,
    `  Communities  ${counts(s.communities)}`,
    `  Members      ${counts(s.members)}${s.members.placeholders ? `; ${s.members.placeholders} placeholder member(s) for users missing from the user list` : ''}`,
    `  Activities   ${counts(s.activities)}${s.activities.deleted ? `; ${s.activities.deleted} marked deleted` : ''}`,
  ];
  const ignored = Object.entries(s.ignored);
  if (ignored.length) lines.push(`  Not activities (left out): ${ignored.map(([t, n]) => `${t} ${n}`).join(', ')}`);
  if (s.filesUnchanged) lines.push(`  Day files unchanged since the last import (not re-read): ${s.filesUnchanged}`);
  if (s.privateConversationsSkipped) {
    lines.push(
      `  Private conversations skipped: ${s.privateConversationsSkipped} (add --include-private to import them)`,
    );
  }
  const folders = s.skipped.filter((k) => k.dayFiles !== undefined);
  const skipped = s.skipped.filter((k) => k.dayFiles === undefined);
  if (skipped.length) {
    lines.push(`  Skipped (${skipped.length}):`);
    for (const k of skipped) lines.push(`    ${k.file}${k.line === undefined ? '' : ` line ${k.line}`}: ${k.reason}`);
  }
  lines.push(
    `  AsyncStore now holds ${s.totals.community} communities, ${s.totals.member} members, ${s.totals.activity} activities (change sequence ${s.maxSeq}); took ${(s.durationMs / 1000).toFixed(1)} s.`,
    ...leftOutWarning(folders),
  );
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('ingest <path>')
    .description('import a Slack export (folder or .zip) or an NDJSON event feed into the store')
    .option('--include-private', 'also import private channels, group DMs and DMs')
    .option('--skip-invalid', 'skip invalid files and lines (listed in the summary) instead of stopping')
    .option('--workspace-name <name>', 'community name for a Slack export (default: folder or zip name)')
    .option('--workspace-domain <subdomain>', 'Slack subdomain, e.g. acme for acme.slack.com (enables permalinks)')
    .option(
      '--follow',
      'keep importing an NDJSON feed as it grows, until Ctrl-C (a file resumes where it stopped; - reads standard input)',
    )
    .option('--from-start', 'with --follow: forget the saved position and read the feed file from its first line')
    .action(async (path: string, flags: IngestFlags, command: Command) => {
      const opts = command.optsWithGlobals<GlobalOptions>();
      if (flags.follow) {
        if (command.optsWithGlobals<{ database?: string }>().database) {
          throw new UsageError(
            'SERVER_MODE_UNSUPPORTED',
            '`ingest --follow` does not support server mode yet: in server mode a tenant receives live activity through the Slack Events API of `serve`.',
            {
              actions: [
                'Ingest the feed once (without --follow), or follow it into a state directory (drop --database).',
              ],
            },
          );
        }
        return runFollow(path, flags, opts);
      }
      if (path === '-' || flags.fromStart) {
        throw new UsageError(
          'FOLLOW_ONLY',
          path === '-' ? 'Standard input (-) is read only with --follow.' : '--from-start applies only with --follow.',
          {
            actions: ['Add --follow to import an NDJSON feed as it arrives, or pass a file or folder to import once.'],
          },
        );
      }
      await withStateLocation(command, (where) => ingestInto(where, path, flags, opts));
    });
}

async function configAt(where: StateLocation): Promise<SyncConfig> {
  if (where.kind === 'dir') return loadConfig(where.stateDir);
  return (await serverModule().loadTenantConfig(where.pool, where.tenant)).config;
}

/** One import into the state directory's store or the tenant's; a tenant's community name goes into the registry. */
async function ingestInto(where: StateLocation, path: string, flags: IngestFlags, opts: GlobalOptions): Promise<void> {
  const config = await configAt(where);
  const store = openLocationStore(where, (stateDir) => openAsyncStore({ stateDir }));
  const progress = progressReporter(opts);
  try {
    const summary = await ingest({
      path,
      store,
      config,
      includePrivate: flags.includePrivate,
      skipInvalid: flags.skipInvalid,
      workspaceName: flags.workspaceName,
      workspaceDomain: flags.workspaceDomain,
      onProgress: progress.onProgress,
    });
    progress.stop();
    if (where.kind === 'tenant') await cliSupport().noteCommunity(where.pool, where.tenant, store);
    printResult(opts, summary, () => renderSummary(summary));
  } finally {
    progress.stop();
    await store.close();
  }
}
