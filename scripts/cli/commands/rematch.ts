import type { Command } from 'commander';
import { runExitCode, syncOnce } from '../../sync/ops/run';
import { GlobalOptions, printResult } from '../output';
import { createProgressRenderer, formatRun, stopOnSignals } from './sync';

export function register(program: Command): void {
  program
    .command('rematch')
    .description(
      'look every unlocked member up again with the current match rules and push the links that change (after changing the rules)',
    )
    .action(async (_flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const progress = createProgressRenderer(opts);
      const stop = stopOnSignals(() =>
        process.stderr.write('\nStopping after the current step (Ctrl-C again to quit at once)…\n'),
      );
      try {
        const summary = await syncOnce({
          stateDir: opts.stateDir,
          rematch: true,
          onProgress: progress.onProgress,
          signal: stop.signal,
        });
        progress.stop();
        printResult(opts, summary, () => formatRun(summary));
        process.exitCode = runExitCode(summary);
      } finally {
        progress.stop();
        stop.dispose();
      }
    });
}
