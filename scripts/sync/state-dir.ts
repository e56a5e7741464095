import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The sync's state directory holds every member's name and e-mail (the store), the credentials and
 * their key: only the operator's own user may read it. Every place that creates the directory or a
 * file in it goes through this module, so the modes do not depend on the process umask.
 */

/** Mode of the state directory: owner only. */
const PRIVATE_DIR_MODE = 0o700;

/** Mode of every file in the state directory: owner read/write. Pass it to writeFileSync / openSync. */
export const privateFileMode = 0o600;

const OTHERS = 0o077;
const EXECUTABLE = 0o111;

/** Where a warning about a tightened directory goes; stderr unless a caller (a test) says otherwise. */
export type WarningSink = (message: string) => void;

const writeWarning: WarningSink = (message) => process.stderr.write(`Warning: ${message}\n`);

/**
 * Creates `dir` (and its parents) with mode 0700, or tightens an existing one: the directory to 0700 and
 * each plain file directly in it to 0600, with one warning naming what was loosened. Idempotent and
 * cheap (one readdir) once the directory is private. Returns `dir`.
 */
export function ensurePrivateDir(dir: string, warn: WarningSink = writeWarning): string {
  if (!isDirectory(dir)) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    // mkdir's mode passes through the umask; chmod sets it exactly.
    chmodSync(dir, PRIVATE_DIR_MODE);
    return dir;
  }
  const loose = inspectStateDir(dir);
  if (loose.length === 0 || process.platform === 'win32') return dir;
  const refused = loose.filter((entry) => !tighten(entry));
  const tightened = loose.filter((entry) => !refused.includes(entry));
  if (tightened.length > 0) {
    warn(
      `the state directory ${dir} was readable by other users (${tightened.map(describe).join(', ')}); ` +
        'tightened to 0700 for the directory and 0600 for its files.',
    );
  }
  if (refused.length > 0) {
    // Someone else's files: keep working (check reports them), and say who must fix what.
    warn(
      `other users can read ${refused.map(describe).join(', ')}, and this user may not change that; ` +
        `ask its owner to run \`chmod 700 ${dir} && chmod 600 ${dir}/*\`.`,
    );
  }
  return dir;
}

/**
 * Makes sure `file` exists with mode 0600 before a library opens it (SQLite gives its -wal and -shm
 * files the mode of the database file). With `stateDir`, that directory is made private first; without
 * (a file the operator placed elsewhere) only a missing parent is created, privately: an existing
 * directory such as /tmp is never tightened. Returns `file`.
 */
export function ensurePrivateFile(file: string, stateDir?: string): string {
  // SQLite's in-memory database has no file: creating one named ':memory:' would litter the folder.
  if (file === ':memory:') return file;
  if (stateDir !== undefined) ensurePrivateDir(stateDir);
  else mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  closeSync(openSync(file, 'a', privateFileMode));
  if ((statSync(file).mode & 0o777) !== privateFileMode) chmodSync(file, privateFileMode);
  return file;
}

/** A state directory entry other users can reach. */
export interface LooseEntry {
  path: string;
  kind: 'directory' | 'file';
  /** Permission bits, e.g. 0o755. */
  mode: number;
}

/**
 * What in `dir` other users can read: the directory itself when group or others have any access, and
 * each plain, non-executable file directly in it with group or other bits. Symbolic links and
 * executables are left alone (a state directory pointed at a checkout must not lose its scripts).
 * A missing directory has nothing loose.
 */
export function inspectStateDir(dir: string): LooseEntry[] {
  if (!isDirectory(dir)) return [];
  const loose: LooseEntry[] = [];
  const dirMode = statSync(dir).mode & 0o777;
  if (dirMode & OTHERS) loose.push({ path: dir, kind: 'directory', mode: dirMode });
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    const mode = stat.mode & 0o777;
    if (stat.isFile() && (mode & OTHERS) !== 0 && (mode & EXECUTABLE) === 0) loose.push({ path, kind: 'file', mode });
  }
  return loose;
}

function tighten(entry: LooseEntry): boolean {
  try {
    chmodSync(entry.path, entry.kind === 'directory' ? PRIVATE_DIR_MODE : privateFileMode);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function describe(entry: LooseEntry): string {
  return `${entry.path} ${entry.mode.toString(8).padStart(4, '0')}`;
}
