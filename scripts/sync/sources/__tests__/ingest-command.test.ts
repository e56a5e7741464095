import { Command } from 'commander';
import { register, renderSummary } from '../../../cli/commands/ingest';
import { UsageError } from '../../errors';
import type { IngestSummary } from '../../ingest';
import { FIXTURE_EXPORT, cleanup, tempDir } from './helpers';

function program(): Command {
  const p = new Command('tightknit-sync')
    .option('--state-dir <dir>', 'state', '.tightknit-sync')
    .option('--json')
    .option('--quiet')
    .exitOverride();
  register(p);
  return p;
}

describe('tightknit-sync ingest', () => {
  let dir: string;
  let out: string[];
  let err: string[];

  beforeEach(() => {
    dir = tempDir();
    out = [];
    err = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => out.push(String(s)) > 0);
    jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => err.push(String(s)) > 0);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    cleanup(dir);
  });

  it('prints the summary as JSON with --json, and no progress', async () => {
    await program().parseAsync(['--state-dir', dir, '--json', 'ingest', FIXTURE_EXPORT, '--include-private'], {
      from: 'user',
    });
    const envelope = JSON.parse(out.join('')) as { status: number; result: IngestSummary; warnings: string[] };
    expect(envelope).toMatchObject({ status: 0, warnings: [] });
    const summary = envelope.result;
    expect(summary.source).toBe('slack-export-folder');
    expect(summary.privateConversationsSkipped).toBe(0);
    expect(summary.members.placeholders).toBe(2);
    expect(err).toEqual([]);
  });

  it('prints a human summary and plain progress lines when not on a terminal', async () => {
    await program().parseAsync(['--state-dir', dir, 'ingest', FIXTURE_EXPORT, '--workspace-name', 'Acme'], {
      from: 'user',
    });
    const text = out.join('');
    expect(text).toContain('Imported Slack export');
    expect(text).toMatch(/Activities\s+22 new, 0 changed, 0 unchanged/);
    expect(text).toContain('2 placeholder member(s)');
    expect(text).toContain('Private conversations skipped: 3 (add --include-private');
    // The folder no conversation list names ends the summary as a warning, not as a skipped line.
    expect(text).not.toContain('Skipped (');
    expect(text.trimEnd().split('\n').slice(-4)[0]).toBe(
      'Warning: 1 folder left out (not in channels.json): unlisted-folder — its 1 day file was not imported.',
    );
    expect(text).toContain('→ A channel folder must have exactly the name channels.json gives it');
    expect(err.join('')).toContain('Reading channels...');
  });

  it('passes bad input errors on for the CLI to render (exit code 2)', async () => {
    const error = await program()
      .parseAsync(['--state-dir', dir, 'ingest', `${dir}/nothing-here`], { from: 'user' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
  });

  it('reads standard input (-) and takes --from-start only with --follow', async () => {
    for (const args of [
      ['ingest', '-'],
      ['ingest', FIXTURE_EXPORT, '--from-start'],
    ]) {
      const error = await program()
        .parseAsync(['--state-dir', dir, ...args], { from: 'user' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).code).toBe('FOLLOW_ONLY');
    }
  });

  it('refuses to follow a Slack export', async () => {
    const error = await program()
      .parseAsync(['--state-dir', dir, 'ingest', '--follow', FIXTURE_EXPORT], { from: 'user' })
      .catch((e: unknown) => e);
    expect((error as UsageError).code).toBe('FOLLOW_NEEDS_FEED');
  });

  it('renders unchanged files and skipped lines', () => {
    const text = renderSummary({
      path: 'feed.ndjson',
      source: 'event-feed',
      communities: { new: 0, changed: 0, unchanged: 1 },
      members: { new: 0, changed: 1, unchanged: 2, placeholders: 0 },
      activities: { new: 3, changed: 0, unchanged: 0, deleted: 1 },
      skipped: [{ file: 'feed.ndjson', line: 7, reason: 'not valid JSON' }],
      ignored: {},
      privateConversationsSkipped: 0,
      filesRead: 1,
      filesUnchanged: 4,
      linesRead: 9,
      totals: { community: 1, member: 3, activity: 3 },
      maxSeq: 12,
      durationMs: 1500,
    });
    expect(text).toContain('Imported event feed feed.ndjson');
    expect(text).toContain('1 marked deleted');
    expect(text).toContain('feed.ndjson line 7: not valid JSON');
    expect(text).toContain('Day files unchanged since the last import (not re-read): 4');
    expect(text).not.toContain('Warning');
  });

  it('warns about every folder left out, with its day files, apart from skipped lines', () => {
    const text = renderSummary({
      path: 'export.zip',
      source: 'slack-export-zip',
      communities: { new: 1, changed: 0, unchanged: 0 },
      members: { new: 2, changed: 0, unchanged: 0, placeholders: 0 },
      activities: { new: 3, changed: 0, unchanged: 0, deleted: 0 },
      skipped: [
        { file: 'café-ñ/', reason: 'folder is not listed', dayFiles: 3 },
        { file: 'users.json', reason: 'bad user' },
        { file: 'old/', reason: 'folder is not listed', dayFiles: 1 },
      ],
      ignored: {},
      privateConversationsSkipped: 0,
      filesRead: 4,
      filesUnchanged: 0,
      linesRead: 0,
      totals: { community: 1, member: 2, activity: 3 },
      maxSeq: 6,
      durationMs: 100,
    });
    expect(text).toContain('  Skipped (1):\n    users.json: bad user\n');
    expect(text).toContain(
      'Warning: 2 folders left out (not in channels.json): café-ñ (3 day files), old (1 day file) — their 4 day files were not imported.',
    );
  });
});
