import type { Command } from 'commander';
import { startEmulator } from '../../org-emulator';
import { runDemo } from '../../sync/ops/demo';
import { GlobalOptions, printResult } from '../output';
import { createProgressRenderer } from './sync';

export function register(program: Command): void {
  program
    .command('demo')
    .description('the whole product with no org: emulator + sample community + full sync + what a rep sees')
    .option('--sample <path>', 'a Slack export or NDJSON feed instead of samples/community-export')
    .action(async (flags: { sample?: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      // Only an explicit --state-dir keeps the demo's state; the default one belongs to real syncs.
      const explicitDir = cmd.parent?.getOptionValueSource('stateDir') === 'cli' ? opts.stateDir : undefined;
      let progress = createProgressRenderer(opts);
      const result = await runDemo({
        // The CLI wires the emulator in; the sync itself never imports it.
        startOrg: () => startEmulator(),
        stateDir: explicitDir,
        samplePath: flags.sample,
        onProgress: (p) => progress.onProgress(p),
        onLine: (line) => {
          progress.stop();
          progress = createProgressRenderer(opts);
          if (!opts.json && !opts.quiet) process.stdout.write(`${line}\n`);
        },
      });
      progress.stop();
      if (opts.json) printResult(opts, result, () => '');
    });
}
