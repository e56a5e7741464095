import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../errors';
import { acquireLock, LOCK_FILE } from '../lock';
import { tempDir } from './fixtures';

describe('one instance per state directory', () => {
  it('refuses a second holder and names the one running', () => {
    const dir = tempDir();
    const first = acquireLock(dir, 'start');
    try {
      expect(() => acquireLock(dir, 'sync')).toThrow(UsageError);
      try {
        acquireLock(dir, 'sync');
      } catch (err) {
        expect((err as UsageError).code).toBe('ALREADY_RUNNING');
        expect((err as UsageError).message).toContain(`pid ${process.pid}`);
        expect((err as UsageError).actions.join(' ')).toContain('tightknit-sync pause');
      }
    } finally {
      first.release();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    acquireLock(dir, 'sync').release();
  });

  it('takes over a stale lock whose process is gone', () => {
    const dir = tempDir();
    const stale = { pid: 999_999, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'start' };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(stale));
    const lock = acquireLock(dir, 'start', (pid) => pid === process.pid);
    expect(lock.staleTakenOver).toEqual(stale);
    lock.release();
  });

  it('does not judge a lock held on another host', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'x', command: 'start' }),
    );
    expect(() => acquireLock(dir, 'start', () => false)).toThrow(/elsewhere/);
  });

  it('takes over an unreadable lock file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    acquireLock(dir, 'start').release();
  });
});
