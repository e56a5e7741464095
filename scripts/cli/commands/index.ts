import type { Command } from 'commander';

/**
 * Every command module exports `register(program)`. One line per module below; keep the list in the
 * order of design.md's command table.
 */
type Register = (program: Command) => void;

const modules: Array<{ register: Register }> = [
  // (command modules are added here)
  require('./ingest') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./connect') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./verify') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./check') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./configure') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./start') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./sync') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./history') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./investigate') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./retry') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./pause') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./resume') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./disconnect') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./demo') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
];

export function registerCommands(program: Command): void {
  for (const m of modules) m.register(program);
}
