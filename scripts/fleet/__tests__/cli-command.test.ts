import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliLaunch } from '../cli-command';

/** A checkout in a temp folder: one source under scripts/server, optionally a dist/cli/main.js. */
function checkout(opts: { built?: Date; source: Date; test?: Date }): string {
  const root = mkdtempSync(join(tmpdir(), 'tk-cli-launch-'));
  mkdirSync(join(root, 'scripts', 'server', '__tests__'), { recursive: true });
  const source = join(root, 'scripts', 'server', 'worker.ts');
  writeFileSync(source, 'export {};\n');
  utimesSync(source, opts.source, opts.source);
  if (opts.test) {
    const test = join(root, 'scripts', 'server', '__tests__', 'worker.test.ts');
    writeFileSync(test, 'export {};\n');
    utimesSync(test, opts.test, opts.test);
  }
  if (opts.built) {
    mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
    const main = join(root, 'dist', 'cli', 'main.js');
    writeFileSync(main, '');
    utimesSync(main, opts.built, opts.built);
  }
  return root;
}

describe('cliLaunch (how the benches and the fleet start tightknit-sync)', () => {
  const roots: string[] = [];
  const make = (opts: Parameters<typeof checkout>[0]): string => {
    const root = checkout(opts);
    roots.push(root);
    return root;
  };
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  const early = new Date('2026-01-01T00:00:00Z');
  const late = new Date('2026-01-02T00:00:00Z');

  it('runs the bin (dist/) when the build is newer than every source; tests do not count', () => {
    const root = make({ built: late, source: early, test: new Date('2026-01-03T00:00:00Z') });
    expect(cliLaunch(root, {})).toEqual({ nodeArgs: [join(root, 'bin', 'tightknit-sync.js')], built: true });
  });

  it('runs the sources through tsx, saying why, when there is no build', () => {
    const root = make({ source: early });
    const launch = cliLaunch(root, {});
    expect(launch.built).toBe(false);
    expect(launch.nodeArgs).toEqual(['--import', 'tsx', join(root, 'scripts', 'cli', 'main.ts')]);
    expect(launch.note).toMatch(/missing.*npm run build/);
  });

  it('runs the sources when a source changed after the build', () => {
    const launch = cliLaunch(make({ built: early, source: late }), {});
    expect(launch.built).toBe(false);
    expect(launch.note).toMatch(/older than the sources.*npm run build/);
  });

  it('runs the sources when TIGHTKNIT_BENCH_SOURCES=1, even with a fresh build', () => {
    const launch = cliLaunch(make({ built: late, source: early }), { TIGHTKNIT_BENCH_SOURCES: '1' });
    expect(launch.built).toBe(false);
    expect(launch.note).toMatch(/TIGHTKNIT_BENCH_SOURCES=1/);
  });
});
