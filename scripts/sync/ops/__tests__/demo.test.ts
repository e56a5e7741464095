import { existsSync } from 'node:fs';
import { main } from '../../../cli/main';
import { startEmulator } from '../../../org-emulator';
import { runDemo, SAMPLE_EXPORT } from '../demo';
import { tempDir, writeCommunityFeed } from './fixtures';

describe('demo', () => {
  it('runs the whole product against the emulator and leaves nothing behind', async () => {
    const lines: string[] = [];
    // The repository's sample export when present; a generated feed keeps the test independent of it.
    const samplePath = existsSync(SAMPLE_EXPORT) ? SAMPLE_EXPORT : writeCommunityFeed(tempDir());
    const started = Date.now();
    const result = await runDemo({ startOrg: () => startEmulator(), samplePath, onLine: (l) => lines.push(l) });
    expect(Date.now() - started).toBeLessThan(60_000);

    expect(result.runs.map((r) => [r.type, r.status])).toEqual([
      ['backfill', 'Succeeded'],
      ['incremental', 'Succeeded'],
    ]);
    expect(result.runs[1].objects.activity.succeeded).toBeGreaterThan(0);
    expect(result.accounts.length).toBeGreaterThan(0);
    expect(result.accounts[0].score).toBeGreaterThan(0);
    expect(result.contact?.activities.length).toBeGreaterThan(0);
    expect(result.history.map((r) => r.type)).toEqual(['incremental', 'backfill']);
    expect(existsSync(result.stateDir)).toBe(false);

    const text = lines.join('\n');
    expect(text).toContain('1. Ingested the sample community');
    expect(text).toMatch(/two share \S+@/);
    expect(text).toContain('3. Connected with client credentials');
    expect(text).toMatch(/4\. Verified: Tightknit Analytics [\d.]+; 3 of 3 objects complete/);
    expect(text).toMatch(/backfill #1: Succeeded/);
    expect(text).toMatch(/Member links: \d+ Matched, \d+ Multiple Matches, .*\d+ linked to a Lead/);
    expect(text).toMatch(/incremental #2: Succeeded/);
    expect(text).toContain('top Accounts by community engagement');
    expect(text).toContain('Recent community activity of');
    expect(text).toContain('9. Sync history:');
  });

  it('`tightknit-sync demo` continues the sample live from the emulated Slack workspace into the org', async () => {
    const out: string[] = [];
    const capture = (chunk: unknown): boolean => {
      out.push(String(chunk));
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    let code: number;
    try {
      code = await main(['node', 'tightknit-sync', 'demo']);
    } finally {
      jest.restoreAllMocks();
      process.exitCode = undefined;
    }
    const text = out.join('');
    expect(code).toBe(0);
    // The Web API's first import finds the export's messages already stored: no duplicate.
    expect(text).toMatch(
      /7\. Live from Slack: connected the emulated workspace .*found the export's messages already stored \(0 new\)/,
    );
    expect(text).toMatch(/5 of 5 signed events were received and 5 applied \(no Web API read: they came as events\)/);
    expect(text).toContain('5 of the 5 activities posted in Slack during this demo are now in the org.');
    expect(text).toMatch(/incremental #2: Succeeded — communities \d+\/\d+, members \d+\/\d+, activities 5\/5/);
  });

  it('keeps an explicit state directory', async () => {
    const stateDir = tempDir();
    const result = await runDemo({
      startOrg: () => startEmulator(),
      samplePath: writeCommunityFeed(tempDir(), 12),
      stateDir,
    });
    expect(result.kept).toBe(true);
    expect(existsSync(`${stateDir}/store.db`)).toBe(true);
  });

  it('says when the sample is missing', async () => {
    await expect(runDemo({ startOrg: () => startEmulator(), samplePath: '/nonexistent/sample' })).rejects.toMatchObject(
      { code: 'SAMPLE_MISSING' },
    );
  });
});
