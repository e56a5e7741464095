import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const FIXTURE = join(__dirname, 'log-writer.fixture.ts');

/** stderr lines of the child until `until` matches one, or the time runs out. */
function waitFor(stderr: NodeJS.ReadableStream, until: RegExp, ms: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let rest = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${until} within ${ms} ms; saw ${lines.slice(-3).join(' | ')}`)),
      ms,
    );
    stderr.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
      if (parts.some((l) => until.test(l))) {
        clearTimeout(timer);
        resolve(lines);
      }
    });
  });
}

describe('the server log on stdout', () => {
  it('never blocks the process when nothing reads its output, and says what it dropped', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { cwd: ROOT, stdio: 'pipe' });
    try {
      // 20 MB of log lines against a 64 kB pipe nobody reads: the process logs them all and keeps ticking.
      const lines = await waitFor(child.stderr, /^done /, 30_000);
      expect(lines.filter((l) => l === 'tick').length).toBeGreaterThan(0);
      // Once read, the buffered lines come out, then the warning that counts the dropped ones.
      let out = '';
      const warned = new Promise<void>((resolve) =>
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('log lines dropped')) resolve();
        }),
      );
      await warned;
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      child.stdin.write('stop\n');
      expect(await exited).toBe(0);
      const logged = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { msg: string; dropped?: number; line?: number });
      const filler = logged.filter((l) => l.msg === 'filler');
      const warnings = logged.filter((l) => l.msg.startsWith('log lines dropped'));
      // What the buffer held was written in order; the rest was counted, and the count was logged.
      expect(filler.length).toBeGreaterThan(100);
      expect(filler.length).toBeLessThan(2_000);
      expect(warnings).toHaveLength(1);
      expect(warnings[0].dropped).toBe(2_000 - filler.length);
      expect(filler.map((l) => l.line)).toEqual([...filler.map((l) => l.line)].sort((a, b) => a! - b!));
      expect(logged.at(-1)?.msg).toBe('last line');
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);
});
