import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { cliLaunchOnce } from '../fleet/cli-command';
import { memoryOf } from './args';

const ROOT = join(__dirname, '..', '..');

/** One worker slot: the `tightknit-sync worker` process in it now, and what its processes used. */
interface Slot {
  index: number;
  child?: ChildProcess;
  /** Highest VmHWM (kB) of any process that ran in this slot. */
  peakKb: number;
  started: number;
  killed: number;
}

export interface WorkerFleet {
  /** True: the workers run the built CLI (dist/); false: the sources through tsx. */
  built: boolean;
  /** Peak resident memory (MB) per slot, and how many processes each slot started and lost to kill -9. */
  summary(): Array<{ worker: number; peakMb: number; processes: number; killed: number }>;
  /** The process id in each slot now (undefined while a slot restarts). */
  pids(): Array<number | undefined>;
  /** kill -9 the worker in `slot` (after reading its high-water mark), then start another after `restartMs`. */
  kill(slot: number, restartMs: number): Promise<void>;
  /** SIGTERM every worker (the drain) and wait for them. */
  stop(): Promise<void>;
}

/**
 * Starts `count` `tightknit-sync worker --concurrency N` processes (the built CLI when dist/ is fresh,
 * else from the sources through tsx, with a note) with the fleet's environment, each logging to `logDir/worker-<slot>.log`, and samples their
 * VmHWM every second. Resolves once every worker has logged `worker started`.
 */
export async function startWorkers(opts: {
  count: number;
  concurrency: number;
  env: NodeJS.ProcessEnv;
  logDir: string;
  /** node/V8 flags put before the CLI (default none). */
  nodeFlags?: string[];
}): Promise<WorkerFleet> {
  const slots: Slot[] = Array.from({ length: opts.count }, (_, index) => ({ index, peakKb: 0, started: 0, killed: 0 }));
  const sample = (s: Slot): void => {
    const pid = s.child?.pid;
    const mem = pid ? memoryOf(pid) : undefined;
    if (mem) s.peakKb = Math.max(s.peakKb, mem.hwm);
  };
  const cli = cliLaunchOnce();
  const launch = async (s: Slot): Promise<void> => {
    const log = createWriteStream(join(opts.logDir, `worker-${s.index + 1}.log`), { flags: 'a' });
    const child = spawn(
      process.execPath,
      [...(opts.nodeFlags ?? []), ...cli.nodeArgs, 'worker', '--concurrency', String(opts.concurrency)],
      {
        cwd: ROOT,
        env: opts.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    s.child = child;
    s.started += 1;
    // The ready line is looked for in the output as it passes to the log file. Never pause or close a
    // reader on the child's stdout: a worker whose stdout is not read blocks on its next log line (the
    // first full-size run stalled so, 2026-12-06).
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const watch = (chunk: Buffer): void => {
        seen = (seen + chunk.toString()).slice(-4096);
        if (!seen.includes('"worker started"')) return;
        child.stdout.off('data', watch);
        resolve();
      };
      child.stdout.on('data', watch);
      child.once('exit', (code) => reject(new Error(`worker ${s.index + 1} exited (${code}) before it started`)));
    });
  };
  await Promise.all(slots.map(launch));
  const timer = setInterval(() => slots.forEach(sample), 1000);
  return {
    built: cli.built,
    summary: () =>
      slots.map((s) => ({
        worker: s.index + 1,
        peakMb: Math.round((s.peakKb / 1024) * 10) / 10,
        processes: s.started,
        killed: s.killed,
      })),
    pids: () => slots.map((s) => s.child?.pid),
    kill: async (index, restartMs) => {
      const s = slots[index];
      sample(s);
      const child = s.child;
      if (!child) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      s.child = undefined;
      s.killed += 1;
      await new Promise((r) => setTimeout(r, restartMs));
      await launch(s);
    },
    stop: async () => {
      clearInterval(timer);
      slots.forEach(sample);
      await Promise.all(
        slots.map(async (s) => {
          const child = s.child;
          if (!child || child.exitCode !== null) return;
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }),
      );
    },
  };
}
