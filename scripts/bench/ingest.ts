/**
 * Ingest benchmark: generates a Slack export (once, cached under .bench/), then runs two ingests into a
 * fresh store, each in its own Node process so peak RSS is measured per run: the first import, and a
 * re-import of the same export that must change nothing and take under half the time.
 *
 *   npx tsx scripts/bench/ingest.ts                       # 50,000 members, ~1,000,000 activities
 *   npx tsx scripts/bench/ingest.ts --members 5000 --activities 100000
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { engagementDefaults, ingest, type IngestSummary, openAsyncStore } from '../sync';

interface RunResult {
  seconds: number;
  /** User + system CPU seconds: the fairer figure when other work shares the machine. */
  cpuSeconds: number;
  loadAverage: number;
  peakRssMb: number;
  summary: IngestSummary;
}

async function child(exportDir: string, stateDir: string): Promise<void> {
  const store = openAsyncStore({ stateDir });
  const load = loadavg()[0];
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const summary = await ingest({ path: exportDir, store, config: { engagement: engagementDefaults() } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  await store.close();
  const result: RunResult = {
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    loadAverage: load,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    summary,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function run(args: string[]): string {
  const out = spawnSync(process.execPath, ['--require', 'tsx/cjs', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (out.status !== 0) throw new Error(`benchmark step failed:\n${out.stderr}`);
  return out.stdout;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'boolean', default: false },
      export: { type: 'string' },
      state: { type: 'string' },
      members: { type: 'string', default: '50000' },
      activities: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '42' },
    },
  });
  if (values.child) return child(values.export!, values.state!);

  const exportDir = resolve('.bench', `export-${values.members}-${values.activities}-${values.seed}`);
  const stateDir = resolve('.bench', 'state');
  if (!existsSync(join(exportDir, 'users.json'))) {
    process.stdout.write(`Generating ${exportDir} ...\n`);
    process.stdout.write(
      run([
        resolve(__dirname, 'generate-export.ts'),
        '--out',
        exportDir,
        '--members',
        values.members,
        '--activities',
        values.activities,
        '--seed',
        values.seed,
      ]),
    );
  }
  rmSync(stateDir, { recursive: true, force: true });
  const results: RunResult[] = [];
  for (const label of ['first ingest', 're-ingest']) {
    const result = JSON.parse(run([__filename, '--child', '--export', exportDir, '--state', stateDir])) as RunResult;
    results.push(result);
    const s = result.summary;
    process.stdout.write(
      `${label}: ${result.seconds.toFixed(1)} s (CPU ${result.cpuSeconds.toFixed(1)} s, load average ${result.loadAverage.toFixed(1)}), peak RSS ${result.peakRssMb.toFixed(0)} MB; ` +
        `members ${s.members.new} new / ${s.members.changed} changed / ${s.members.unchanged} unchanged; ` +
        `activities ${s.activities.new} new / ${s.activities.changed} changed / ${s.activities.unchanged} unchanged; ` +
        `max seq ${s.maxSeq}\n`,
    );
  }
  const [first, second] = results;
  const dbMb = statSync(join(stateDir, 'store.db')).size / 1e6;
  const checks: Array<[string, boolean]> = [
    ['first ingest < 60 s wall', first.seconds < 60],
    ['first ingest < 60 s CPU', first.cpuSeconds < 60],
    ['peak RSS < 300 MB', first.peakRssMb < 300 && second.peakRssMb < 300],
    ['re-ingest < half the first', second.seconds < first.seconds / 2],
    [
      're-ingest moved no seq',
      second.summary.maxSeq === first.summary.maxSeq && second.summary.activities.changed === 0,
    ],
  ];
  const ok = checks.every(([, met]) => met);
  process.stdout.write(
    `store.db ${dbMb.toFixed(0)} MB; re-ingest/first = ${(second.seconds / first.seconds).toFixed(2)}\n` +
      checks.map(([label, met]) => `  ${met ? 'met    ' : 'NOT met'} ${label}\n`).join(''),
  );
  if (!ok) process.exitCode = 1;
}

void main();
