import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { formatCatchUp, runExitCode, RunSummary, syncOnce, SyncProgress, UsageError } from '../../sync';
import { GlobalOptions, printResult, warn } from '../output';
import { cliSupport } from '../server-mode';
import { formatRun, LABEL, stopOnSignals, type Kind } from './run-output';
import { inServerMode, queueTenantRun } from './tenant-runs';

/** A progress sink for runs: cli-progress bars on a TTY, plain log lines otherwise, nothing with --json/--quiet. */
export interface ProgressRenderer {
  onProgress: SyncProgress;
  /** Stops bars before other output is written. */
  stop(): void;
}

export function createProgressRenderer(
  opts: GlobalOptions,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressRenderer {
  if (opts.json || opts.quiet) return { onProgress: () => undefined, stop: () => undefined };
  if (!stream.isTTY) {
    const lastPhase = new Map<Kind, string>();
    return {
      onProgress: (p) => {
        const key = `${p.phase}`;
        if (lastPhase.get(p.object) === key && p.phase !== 'done') return;
        lastPhase.set(p.object, key);
        const mb = p.bytes !== undefined ? `, ${(p.bytes / 1e6).toFixed(2)} MB` : '';
        stream.write(
          `${new Date().toISOString()} ${p.object}: ${p.phase} ${p.processed}/${p.total}${mb}${p.jobId ? ` (job ${p.jobId})` : ''}\n`,
        );
      },
      stop: () => undefined,
    };
  }
  const multibar = new cliProgress.MultiBar(
    {
      format: '{label} |{bar}| {value}/{total} records | {mb} MB | {rate}/s | ETA {etaText} | {phase}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      etaBuffer: 20,
      stream,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<Kind, cliProgress.SingleBar>();
  const started = new Map<Kind, number>();
  const uploaded = new Map<Kind, number>();
  let stopped = false;
  return {
    onProgress: (p) => {
      if (stopped) return;
      let bar = bars.get(p.object);
      if (!bar) {
        started.set(p.object, Date.now());
        bar = multibar.create(Math.max(p.total, 1), 0, {
          label: LABEL[p.object],
          mb: '0.00',
          rate: '0',
          phase: p.phase,
        });
        bars.set(p.object, bar);
      }
      const secs = (Date.now() - (started.get(p.object) ?? Date.now())) / 1000;
      // Bytes are reported while uploading; keep the size shown through processing and results.
      const bytes = Math.max(p.bytes ?? 0, uploaded.get(p.object) ?? 0);
      uploaded.set(p.object, bytes);
      const rate = secs >= 0.5 ? p.processed / secs : 0;
      const left = p.total - p.processed;
      bar.setTotal(Math.max(p.total, 1));
      bar.update(p.processed, {
        label: LABEL[p.object],
        mb: (bytes / 1e6).toFixed(2),
        rate: Math.round(rate).toLocaleString('en-US'),
        etaText: left <= 0 ? '0s' : rate > 0 ? `${Math.ceil(left / rate)}s` : '…',
        phase: p.phase,
      });
    },
    stop: () => {
      // A multibar that never drew still writes cursor codes on stop.
      if (!stopped && bars.size > 0) multibar.stop();
      stopped = true;
    },
  };
}

/** Resolves at the first Ctrl-C / SIGTERM (foreground servers: `emulator`, `listen`). */
export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Runs one push from the command line: progress bars (or lines), Ctrl-C stops after the current step,
 * the summary is printed, and the exit code says whether records failed.
 */
export async function runFromCli(
  opts: GlobalOptions,
  run: (hooks: { onProgress: SyncProgress; signal: AbortSignal }) => Promise<RunSummary>,
): Promise<void> {
  const progress = createProgressRenderer(opts);
  const stop = stopOnSignals(() =>
    process.stderr.write('\nStopping after the current step (Ctrl-C again to quit at once)…\n'),
  );
  try {
    const summary = await run({ onProgress: progress.onProgress, signal: stop.signal });
    progress.stop();
    printResult(opts, summary, () => formatRun(summary), runExitCode(summary));
  } finally {
    progress.stop();
    stop.dispose();
  }
}

export function register(program: Command): void {
  program
    .command('sync')
    .description('one pass and exit: a backfill if never done (or with --backfill), else an incremental sync')
    .option('--backfill', 'push everything again, not only what changed')
    .option('--no-wait', 'server mode: return once the run is queued (the workers run it)')
    .action(async (flags: { backfill?: boolean; wait: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      if (inServerMode(cmd)) {
        const backfill = flags.backfill === true;
        return queueTenantRun(
          cmd,
          opts,
          async ({ pool, tenant }) => ({ type: await cliSupport().passType(pool, tenant, backfill) }),
          flags.wait,
        );
      }
      if (!flags.wait) {
        throw new UsageError(
          'WAIT_IN_SERVER_MODE',
          '--no-wait applies in server mode only (with --database and --tenant).',
        );
      }
      await runFromCli(opts, (hooks) =>
        syncOnce({
          stateDir: opts.stateDir,
          backfill: flags.backfill,
          ...hooks,
          onSourceCaughtUp: (c) => {
            if (!opts.json && !opts.quiet) process.stderr.write(`${formatCatchUp(c)}\n`);
          },
          onSourceError: (err) =>
            warn(
              opts,
              `the Slack source was not read (${err.code}): ${err.message} ${err.actions.join(' ')} Pushing what the store has.`,
            ),
        }),
      );
    });
}
