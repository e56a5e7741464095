import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type SyncConfig } from '../../sync/config';
import { hasCredentials, loadCredentials } from '../../sync/connection/credential-store';
import type { KeyOptions } from '../../sync/connection/encryption';
import { loadSlackCredentials } from '../../sync/connection/slack-credentials';
import type { StoredCredentials } from '../../sync/connection/types';
import { UsageError } from '../../sync/errors';
import { otherLockHolder } from '../../sync/ops/lock';
import { readScheduleState } from '../../sync/ops/pause';
import { STORE_FILE } from '../../sync/store';
import type { SlackCredentials } from '../tenant-state/credentials';

/** What a state directory holds besides its store, read (and decrypted) before anything is written. */
export interface StateDirContents {
  config: SyncConfig;
  credentials?: StoredCredentials;
  slack?: SlackCredentials;
  paused: boolean;
}

/**
 * Reads the configuration and the credentials of a state directory, decrypting them with its key (the
 * key options `connect` used: TIGHTKNIT_ENCRYPTION_KEY, the OS keychain or the key file). Refuses a
 * directory without a store, and one a sync is running on (its store would change while it is copied).
 */
export async function readStateDir(key: KeyOptions): Promise<StateDirContents> {
  const { stateDir } = key;
  if (!existsSync(join(stateDir, STORE_FILE))) {
    throw new UsageError(
      'STATE_DIR_EMPTY',
      `${stateDir} holds no store (${STORE_FILE}): there is nothing to migrate.`,
      {
        actions: ['Give the state directory the embedded mode used with --state-dir DIR (default .tightknit-sync).'],
      },
    );
  }
  const holder = otherLockHolder(stateDir);
  if (holder) {
    throw new UsageError(
      'STATE_DIR_BUSY',
      `A sync (pid ${holder.pid}) is running on ${stateDir}; its store would change while it is copied.`,
      { actions: ['Stop `tightknit-sync start` (and any `sync`) on this state directory, then migrate again.'] },
    );
  }
  return {
    config: loadConfig(stateDir),
    credentials: hasCredentials(stateDir) ? await loadCredentials(key) : undefined,
    slack: await loadSlackCredentials(key),
    paused: readScheduleState(stateDir).paused,
  };
}
