import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateConfig } from '../config';
import { resolveKeyForWrite } from '../connection/encryption';
import { acquireLock } from '../ops/lock';
import { writeScheduleState } from '../ops/pause';
import { ensurePrivateDir, ensurePrivateFile, inspectStateDir } from '../state-dir';
import { stateDirCheck } from '../state-dir-check';
import { openStore } from '../store';

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);

/** Runs `body` under `mask`, so the modes asserted cannot come from the umask of the test process. */
function underUmask<T>(mask: number, body: () => T): T {
  const previous = process.umask(mask);
  try {
    return body();
  } finally {
    process.umask(previous);
  }
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'tk-state-'));
}

describe('state directory modes', () => {
  it.each([0o000, 0o022, 0o077])('every writer leaves a 0700 directory of 0600 files (umask %o)', async (mask) => {
    const stateDir = join(scratch(), 'nested', '.tightknit-sync');
    // The store stays open while the modes are read: closing it checkpoints and removes -wal and -shm.
    const store = await underUmask(mask, async () => {
      updateConfig(stateDir, { intervalMinutes: 5 });
      writeScheduleState(stateDir, { paused: true, reason: 'test' });
      acquireLock(stateDir, 'test');
      await resolveKeyForWrite({ stateDir, env: {}, keychain: null });
      return openStore({ stateDir });
    });
    try {
      const files = readdirSync(stateDir);
      expect(files.sort()).toEqual(
        [
          'config.json',
          'credentials.key',
          'schedule.json',
          'store.db',
          'store.db-shm',
          'store.db-wal',
          'sync.lock',
        ].sort(),
      );
      expect(modeOf(stateDir)).toBe('700');
      expect(Object.fromEntries(files.map((f) => [f, modeOf(join(stateDir, f))]))).toEqual(
        Object.fromEntries(files.map((f) => [f, '600'])),
      );
    } finally {
      store.close();
    }
  });

  it('tightens an existing loose directory once, with a warning naming what was open', () => {
    const dir = scratch();
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'store.db'), '', { mode: 0o644 });
    writeFileSync(join(dir, 'config.json'), '{}', { mode: 0o640 });
    writeFileSync(join(dir, 'hook.sh'), '#!/bin/sh\n', { mode: 0o755 });
    symlinkSync('/etc/hostname', join(dir, 'link'));
    chmodSync(join(dir, 'store.db'), 0o644);
    chmodSync(join(dir, 'hook.sh'), 0o755);
    const warnings: string[] = [];

    ensurePrivateDir(dir, (m) => warnings.push(m));
    ensurePrivateDir(dir, (m) => warnings.push(m));

    expect(modeOf(dir)).toBe('700');
    expect(modeOf(join(dir, 'store.db'))).toBe('600');
    expect(modeOf(join(dir, 'config.json'))).toBe('600');
    expect(modeOf(join(dir, 'hook.sh'))).toBe('755');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${dir} 0755`);
    expect(warnings[0]).toContain(`${join(dir, 'store.db')} 0644`);
    expect(inspectStateDir(dir)).toEqual([]);
  });

  it('a file outside the state directory never tightens its existing parent', () => {
    const parent = scratch();
    chmodSync(parent, 0o755);
    underUmask(0, () => ensurePrivateFile(join(parent, 'elsewhere.db')));
    expect(modeOf(parent)).toBe('755');
    expect(modeOf(join(parent, 'elsewhere.db'))).toBe('600');
    const fresh = join(parent, 'new', 'dir');
    underUmask(0, () => ensurePrivateFile(join(fresh, 'x.db')));
    expect(modeOf(fresh)).toBe('700');
  });

  it("leaves SQLite's in-memory database alone (no file named ':memory:' in the working directory)", () => {
    const cwd = process.cwd();
    const dir = scratch();
    process.chdir(dir);
    try {
      openStore({ file: ':memory:' }).close();
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('check: state directory', () => {
  it('fails with its fix when other users can read the directory', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'sub'));
    chmodSync(dir, 0o755);
    const item = stateDirCheck(dir);
    expect(item).toMatchObject({ id: 'state-dir', status: 'fail', blocking: true });
    expect(item.detail).toContain(`${dir} (0755)`);
    expect(item.fix).toContain(`chmod 700 ${dir}`);
  });

  it('passes for a private directory and for one that does not exist yet', () => {
    const dir = scratch();
    chmodSync(dir, 0o700);
    expect(stateDirCheck(dir).status).toBe('pass');
    expect(stateDirCheck(join(dir, 'missing')).status).toBe('pass');
  });
});
