import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStoreContract } from '../../../../test-support/store-contract';
import { openAsyncStore } from '../async';

describeStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tk-store-contract-'));
  const file = join(dir, 'store.db');
  return {
    store: openAsyncStore({ file }),
    reopen: async () => openAsyncStore({ file }),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
