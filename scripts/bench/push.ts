/**
 * Push benchmark: a backfill of N members and M activities into the local org emulator, by the sync
 * and, side by side, by a baseline that hands the same records to jsforce's
 * bulk2.loadAndWaitForResults as arrays. Each side runs in its own child process against its own fresh
 * emulator, so peak RSS and wall time are each side's own. The sync side is the product as an operator
 * runs it: `bin/tightknit-sync.js sync --backfill` (the published launcher, tsx loader included) on a
 * state directory connected with client credentials, with NODE_OPTIONS left as the operator's shell
 * has it. Its peak RSS is the kernel's high-water mark of that process (VmHWM, Linux /proc).
 * Then it checks that an incremental run with nothing new makes zero API calls and that 100 new
 * activities go in one job, under 5 s.
 *
 *   npx tsx scripts/bench/push.ts [--members 50000] [--activities 1000000] [--only sync]
 *   BENCH_TRACE=1 … prints the sync's progress lines with the process's RSS at each.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator } from '../org-emulator';
import { arg, memoryOf } from './args';
import { addBenchActivity, writeBenchCommunity } from './seed';
import {
  connect,
  engagementDefaults,
  investigateRun,
  listRuns,
  openAsyncStore,
  parseConfig,
  runSync,
  STORE_FILE,
} from '../sync';

const run = promisify(execFile);
const LAUNCHER = join(__dirname, '..', '..', 'bin', 'tightknit-sync.js');

const MEMBERS = arg('members', 50_000);
const ACTIVITIES = arg('activities', 1_000_000);
const NOW = new Date('2026-11-20T12:00:00.000Z');

async function seed(file: string, members = MEMBERS, activities = ACTIVITIES): Promise<void> {
  const store = openAsyncStore({ file });
  await writeBenchCommunity(await store.beginWrite(), { members, activities, now: NOW });
  await store.close();
}

/**
 * The sync side: the product's own launcher on a connected state directory holding a copy of the
 * seeded store. Peak RSS is read from /proc while the process runs (the high-water mark only grows,
 * so the last reading before exit is the peak up to that instant).
 */
async function syncSide(seededFile: string, dir: string): Promise<Record<string, unknown>> {
  const stateDir = join(dir, 'sync-state');
  mkdirSync(stateDir, { recursive: true });
  copyFileSync(seededFile, join(stateDir, STORE_FILE));
  const emu = await startEmulator();
  try {
    // An ephemeral key: the credentials die with the emulator.
    const keyEnv = { TIGHTKNIT_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
    await connect({
      stateDir,
      env: keyEnv,
      keychain: null,
      method: 'client-credentials',
      loginUrl: emu.loginUrl,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
    });
    const trace = process.env.BENCH_TRACE === '1';
    const started = Date.now();
    const child = spawn(process.execPath, [LAUNCHER, '--state-dir', stateDir, 'sync', '--backfill'], {
      env: { ...process.env, ...keyEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Where the peak was reached: before the push started (loading, connecting), or in which phase.
    let phase = 'startup';
    let peakKb = 0;
    let peakDuring = phase;
    let pushStartRssMb: number | null = null;
    const sample = (): number => {
      const m = child.pid !== undefined ? memoryOf(child.pid) : undefined;
      if (m && m.hwm > peakKb) {
        peakKb = m.hwm;
        peakDuring = phase;
      }
      return m ? Math.round(m.rss / 1024) : 0;
    };
    const timer = setInterval(sample, 20);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      const text = d.toString();
      stderr += text;
      const rss = sample();
      for (const line of text.split('\n').filter(Boolean)) {
        // Progress lines: `<time> <object>: <phase> <n>/<total>…`
        const progress = /^\S+ (community|member|activity): (\w+)/.exec(line);
        if (progress) {
          pushStartRssMb ??= rss;
          phase = `${progress[1]} ${progress[2]}`;
        }
        if (trace) process.stdout.write(`  ${Date.now() - started} ms rss ${rss} MB | ${line}\n`);
      }
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (c) => resolve(c));
    });
    clearInterval(timer);
    const wallMs = Date.now() - started;
    if (code !== 0) throw new Error(`tightknit-sync sync exited with ${code}:\n${stdout}\n${stderr}`);
    const store = openAsyncStore({ stateDir });
    try {
      const last = (await listRuns(store, 1))[0];
      const inv = await investigateRun(store, last.runId);
      const jobs = [...inv.jobs.community, ...inv.jobs.member, ...inv.jobs.activity];
      const o = last.objects;
      return {
        mode: 'sync',
        via: 'bin/tightknit-sync.js sync --backfill',
        wallMs,
        runMs: last.durationMs,
        peakRssMb: peakKb > 0 ? Math.round(peakKb / 1024) : null,
        peakDuring,
        pushStartRssMb,
        status: last.status,
        succeeded: o.community.succeeded + o.member.succeeded + o.activity.succeeded,
        failed: o.community.failed + o.member.failed + o.activity.failed,
        apiCalls: last.apiCalls,
        jobs: jobs.length,
        maxPollsPerJob: Math.max(...jobs.map((j) => j.polls)),
        orgApiCalls: emu.org.apiCallCount(),
      };
    } finally {
      await store.close();
    }
  } finally {
    await emu.close();
  }
}

/** The baseline side: jsforce's loadAndWaitForResults with record arrays, in its own child process. */
async function baselineSide(seededFile: string, dir: string): Promise<Record<string, unknown>> {
  const file = join(dir, 'baseline.db');
  copyFileSync(seededFile, file);
  const emu = await startEmulator();
  try {
    const { accessToken } = emu.issueTokens('integration');
    const { stdout, stderr } = await run(
      process.execPath,
      [
        '--require',
        'tsx/cjs',
        join(__dirname, 'push-child.ts'),
        JSON.stringify({ storeFile: file, instanceUrl: emu.instanceUrl, accessToken }),
      ],
      { maxBuffer: 1 << 20, env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' } },
    );
    if (stderr.trim()) process.stdout.write(stderr);
    return {
      ...(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>),
      orgApiCalls: emu.org.apiCallCount(),
    };
  } finally {
    await emu.close();
  }
}

/** Incremental checks on a smaller org (the size of the backfill before does not matter for them). */
async function incremental(dir: string): Promise<Record<string, unknown>> {
  const file = join(dir, 'incremental.db');
  const members = Math.min(MEMBERS, 5_000);
  const activities = Math.min(ACTIVITIES, 50_000);
  await seed(file, members, activities);
  const emu = await startEmulator();
  const store = openAsyncStore({ file });
  try {
    const { accessToken } = emu.issueTokens('integration');
    const conn = { instanceUrl: emu.instanceUrl, accessToken, version: '65.0' };
    const config = parseConfig({}, 'the defaults');
    await runSync({ store, connection: conn, config, type: 'backfill', now: NOW });
    const idle = await runSync({ store, connection: conn, config, type: 'incremental', now: NOW });
    const w = await store.beginWrite();
    for (let i = activities + 1; i <= activities + 100; i++) await addBenchActivity(w, i, members, NOW);
    await w.commit(NOW, engagementDefaults());
    const started = Date.now();
    const delta = await runSync({
      store,
      connection: conn,
      config,
      type: 'incremental',
      now: NOW,
      tuning: { collectionsThreshold: 0 },
    });
    const deltaMs = Date.now() - started;
    const jobs = (await investigateRun(store, delta.runId)).jobs;
    return {
      backfillOf: `${members} members, ${activities} activities`,
      idleApiCalls: idle.apiCalls,
      delta100Ms: deltaMs,
      delta100ApiCalls: delta.apiCalls,
      delta100Jobs: { community: jobs.community.length, member: jobs.member.length, activity: jobs.activity.length },
    };
  } finally {
    await store.close();
    await emu.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tk-bench-'));
  try {
    const seeded = join(dir, STORE_FILE);
    let t = Date.now();
    await seed(seeded);
    process.stdout.write(`seeded ${MEMBERS} members, ${ACTIVITIES} activities in ${Date.now() - t} ms\n`);
    t = Date.now();
    const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
    if (only === 'sync') {
      process.stdout.write(`sync:     ${JSON.stringify(await syncSide(seeded, dir))}\n`);
      return;
    }
    const baseline = await baselineSide(seeded, dir);
    process.stdout.write(`baseline: ${JSON.stringify(baseline)}\n`);
    const sync = await syncSide(seeded, dir);
    process.stdout.write(`sync:     ${JSON.stringify(sync)}\n`);
    const inc = await incremental(dir);
    process.stdout.write(`incremental: ${JSON.stringify(inc)}\n`);
    const wallOk = Number(sync.wallMs) <= Number(baseline.wallMs);
    const rssOk = Number(sync.peakRssMb) <= 300 && Number(sync.peakRssMb) * 2 <= Number(baseline.peakRssMb);
    process.stdout.write(
      `wall time sync ≤ baseline: ${wallOk ? 'yes' : 'NO'}; peak RSS sync ≤ 300 MB and ≤ half of baseline: ${rssOk ? 'yes' : 'NO'}; ` +
        `polls per job ≤ 10: ${Number(sync.maxPollsPerJob) <= 10 ? 'yes' : 'NO'} (total ${Date.now() - t} ms)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
