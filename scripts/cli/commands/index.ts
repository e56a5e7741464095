import type { Command } from 'commander';

/**
 * Every command module exports `register(program)`. One line per module below; keep the list in the
 * order of design.md's command table.
 */
type Register = (program: Command) => void;

const modules: Array<{ register: Register }> = [
  // (command modules are added here)
  require('./ingest') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./history') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
  require('./investigate') as { register: Register }, // eslint-disable-line @typescript-eslint/no-require-imports
];

export function registerCommands(program: Command): void {
  for (const m of modules) m.register(program);
}
