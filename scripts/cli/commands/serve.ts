import type { Command } from 'commander';
import { InvalidArgumentError } from '../commander';
import { parseLoops, runServerCommand } from './worker';

const DEFAULT_OPS_PORT = 9464;

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number from 0 to 65535');
  return n;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('server mode: worker loops, the schedule of every tenant, /healthz and /metrics; SIGTERM drains')
    .option('--workers <n>', 'worker loops in this process (1–64)', parseLoops, 2)
    .option('--port <port>', 'port of /healthz and /metrics (0: any free port)', parsePort, DEFAULT_OPS_PORT)
    .option('--host <address>', 'address /healthz and /metrics listen on (0.0.0.0: every interface)', '127.0.0.1')
    .action(async (flags: { workers: number; port: number; host: string }, cmd: Command) => {
      await runServerCommand(cmd, flags.workers, { port: flags.port, host: flags.host });
    });
}
