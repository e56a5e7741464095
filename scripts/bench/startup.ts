import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { arg } from './args';

/**
 * npm run bench:startup [-- --runs N]: how long `tightknit-sync --help` and `--version` take to start
 * and exit, against a bare `node -e 0` measured in the same run (the three are interleaved, so load on
 * the machine hits them alike). Budget (issue 18): median ≤ 0.25 s and ≤ 4× the bare Node's median.
 * Runs the published launcher (bin/ → dist/), so it needs `npm run build` first.
 */

const LAUNCHER = join(__dirname, '..', '..', 'bin', 'tightknit-sync.js');
const BUDGET_SECONDS = 0.25;
const BUDGET_FACTOR = 4;

const CASES: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'tightknit-sync --help': [LAUNCHER, '--help'],
  'tightknit-sync --version': [LAUNCHER, '--version'],
};

function seconds(args: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const took = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}: ${r.stderr.toString()}`);
  return took;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
  if (!existsSync(join(__dirname, '..', '..', 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` first.');
  }
  const runs = arg('runs', 21);
  const times = new Map<string, number[]>(Object.keys(CASES).map((name) => [name, []]));
  // One warm-up each: the first start fills the OS file cache and Node's compile cache.
  for (const args of Object.values(CASES)) seconds(args);
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(CASES)) times.get(name)?.push(seconds(args));
  }
  const bare = median(times.get('node -e 0') ?? []);
  let withinBudget = true;
  process.stdout.write(`node ${process.version}, ${runs} runs each, median (min–max)\n`);
  for (const [name, values] of times) {
    const m = median(values);
    const ratio = m / bare;
    const ok = name === 'node -e 0' || (m <= BUDGET_SECONDS && ratio <= BUDGET_FACTOR);
    withinBudget &&= ok;
    process.stdout.write(
      `${name.padEnd(26)} ${m.toFixed(3)} s (${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)})` +
        `${name === 'node -e 0' ? '' : `  ${ratio.toFixed(1)}× bare node${ok ? '' : '  OVER BUDGET'}`}\n`,
    );
  }
  process.stdout.write(`budget: ≤ ${BUDGET_SECONDS} s and ≤ ${BUDGET_FACTOR}× bare node\n`);
  if (!withinBudget) process.exitCode = 1;
}

main();
