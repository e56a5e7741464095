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
    const summary = JSON.parse(out.join('')) as IngestSummary;
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
    expect(text).toContain('unlisted-folder/: folder is not listed');
    expect(err.join('')).toContain('Reading channels...');
  });

  it('passes bad input errors on for the CLI to render (exit code 2)', async () => {
    const error = await program()
      .parseAsync(['--state-dir', dir, 'ingest', `${dir}/nothing-here`], { from: 'user' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
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
  });
});
