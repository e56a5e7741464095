import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors';
import { ensurePrivateDir, privateFileMode } from '../state-dir';

export const LOCK_FILE = 'sync.lock';

export interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

export interface SyncLock {
  info: LockInfo;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
  /** Set when a lock left by a process that no longer exists was taken over. */
  staleTakenOver?: LockInfo;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

/** Another live process holding the state directory's lock (a stale file or this process: undefined). */
export function otherLockHolder(stateDir: string): LockInfo | undefined {
  const lock = readLock(join(stateDir, LOCK_FILE));
  if (!lock || lock.pid === process.pid) return undefined;
  if (lock.host === hostname() && !isProcessAlive(lock.pid)) return undefined;
  return lock;
}

/**
 * One sync per state directory: an exclusive lock file holding the owner's pid. A lock whose pid is
 * gone (on this host) is stale and taken over; a live one refuses with who holds it.
 */
export function acquireLock(
  stateDir: string,
  command: string,
  isAlive: (pid: number) => boolean = isProcessAlive,
): SyncLock {
  ensurePrivateDir(stateDir);
  const file = join(stateDir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command };
  let staleTakenOver: LockInfo | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', privateFileMode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(file);
      const stale = !holder || (holder.host === info.host && !isAlive(holder.pid));
      if (!stale) {
        throw new UsageError(
          'ALREADY_RUNNING',
          `Another tightknit-sync (${holder.command}, pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}) is using the state directory ${stateDir}.`,
          {
            actions: [
              'Wait for it to finish, or stop it with Ctrl-C (it finishes the current step first).',
              'Use `tightknit-sync pause` to stop scheduled syncs without stopping the process.',
              `If that process is gone (another host crashed), delete ${file}.`,
            ],
          },
        );
      }
      staleTakenOver = holder;
      rmSync(file, { force: true });
      continue;
    }
    writeSync(fd, JSON.stringify(info));
    closeSync(fd);
    let released = false;
    return {
      info,
      staleTakenOver,
      release() {
        if (released) return;
        released = true;
        const current = readLock(file);
        if (current && current.pid === info.pid && current.startedAt === info.startedAt) rmSync(file, { force: true });
      },
    };
  }
  throw new UsageError('LOCK_FAILED', `Could not take the lock ${file}.`, {
    actions: [`Delete ${file} and try again.`],
  });
}
