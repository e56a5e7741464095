import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../..';
import { STORE_MODULES, applyMigrations, schemaVersion } from '../migrations';
import { COMMUNITY_MIGRATIONS } from '../migrations/community';
import { LEDGER_MIGRATIONS } from '../migrations/ledger';

describe('a state directory written by an earlier release', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tk-store-upgrade-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens with its rows, and every module is brought to its newest schema', () => {
    // What a release before the CRM-following links left: the community tables and ledger version 1,
    // and none of the modules that migrated themselves when first used (no Slack or feed source ran).
    const file = join(dir, 'store.db');
    const old = new Database(file);
    applyMigrations(old, 'community', COMMUNITY_MIGRATIONS);
    applyMigrations(old, 'ledger', LEDGER_MIGRATIONS.slice(0, 1));
    old.exec(`INSERT INTO ledger_runs (type, status, started_at) VALUES ('backfill', 'Succeeded', '2026-01-01T00:00:00.000Z');
      INSERT INTO ledger_records (object, external_id, sf_id, run_id) VALUES ('member', 'm1', 'a0B1', 1);
      INSERT INTO ledger_watermarks (object, seq, run_id, updated_at) VALUES ('member', 12, 1, '2026-01-01T00:00:00.000Z');`);
    old.close();

    const store = openStore({ file });
    try {
      expect(store.ledger.lastRun('backfill')).toMatchObject({ id: 1, status: 'Succeeded' });
      expect(store.ledger.watermark('member')).toBe(12);
      expect(store.ledger.sfId('member', 'm1')).toBe('a0B1');
      // Ledger migration 2: a member pushed before links followed the CRM gets one full look-up.
      expect(store.matchLedger.waiting()).toEqual(['m1']);
      expect(store.inbox.counts()).toMatchObject({ pending: 0, applied: 0 });
      expect(store.feedPositions.get('/feed.ndjson')).toBeUndefined();
    } finally {
      store.close();
    }
    const check = new Database(file, { readonly: true });
    try {
      for (const { module, migrations } of STORE_MODULES) {
        expect([module, schemaVersion(check, module)]).toEqual([module, migrations.length]);
      }
    } finally {
      check.close();
    }
  });

  it('opens again without re-running a step', () => {
    const file = join(dir, 'store.db');
    openStore({ file }).close();
    const before = new Database(file, { readonly: true });
    const versions = before.prepare('SELECT module, version FROM schema_versions ORDER BY module').all();
    before.close();
    const again = openStore({ file });
    again.close();
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT module, version FROM schema_versions ORDER BY module').all()).toEqual(versions);
    after.close();
  });
});
