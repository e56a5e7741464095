import type { Command } from 'commander';
import { parseLoops, runServerCommand } from './worker';

export function register(program: Command): void {
  program
    .command('serve')
    .description('server mode: worker loops and the schedule of every tenant; SIGTERM drains')
    .option('--workers <n>', 'worker loops in this process (1–64)', parseLoops, 2)
    .action(async (flags: { workers: number }, cmd: Command) => {
      await runServerCommand(cmd, flags.workers);
    });
}
