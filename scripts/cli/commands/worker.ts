import type { Command } from 'commander';
import { InvalidArgumentError } from '../commander';
import { GlobalOptions, printResult } from '../output';
import { databaseUrl, serverModule } from '../server-mode';

/** A worker-loop count: a whole number from 1 to 64. */
export function parseLoops(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('a whole number from 1 to 64');
  return n;
}

/**
 * Runs `serve` or `worker` until SIGTERM/SIGINT, logging JSON lines (pino) on stdout, then drains. The pass each job runs comes from the production runner.
 */
export async function runServerCommand(
  cmd: Command,
  concurrency: number,
  ops?: { port: number; host: string },
): Promise<void> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const url = databaseUrl(cmd);
  const { createLogger, productionRunner, runUntilSignal, startServerProcess, useWorkerMemory } = serverModule();
  const log = createLogger();
  const memory = useWorkerMemory();
  log.info({ memory }, 'javascript heap mode (TIGHTKNIT_WORKER_MEMORY)');
  const proc = await startServerProcess({ url, runner: productionRunner(), log, concurrency, ops });
  const { handedBack } = await runUntilSignal(proc, log);
  // stdout carries JSON lines only (the log already said `stopped`); --json adds the usual result envelope.
  if (opts.json) printResult(opts, { stopped: true, handedBack }, () => '');
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('server mode: run tenants’ syncs from the queue (more machines: more workers); SIGTERM drains')
    .option('--concurrency <n>', 'runs this process works on at once (1–64)', parseLoops, 2)
    .action(async (flags: { concurrency: number }, cmd: Command) => {
      await runServerCommand(cmd, flags.concurrency);
    });
}
