/* eslint-disable @typescript-eslint/no-require-imports -- which copy to load is decided at run time */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * commander, as the CLI loads it. commander 15 ships only ES modules, which Node loads through
 * require(esm) at about three times the cost of the same code as CommonJS: the largest part of
 * `tightknit-sync --help`'s start-up. `npm run build` therefore bundles it as CommonJS into
 * dist/vendor/commander.js (scripts/build/vendor.ts); run from source (tsx, jest), there is no such
 * file next to this one and the package itself is loaded.
 */
const BUNDLED = join(__dirname, '..', 'vendor', 'commander.js');
const commander = (existsSync(BUNDLED) ? require(BUNDLED) : require('commander')) as typeof import('commander');

export const { Command, CommanderError, InvalidArgumentError, Option } = commander;
export type Command = import('commander').Command;
export type CommanderError = import('commander').CommanderError;
export type Option = import('commander').Option;
