import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../../org-emulator';
import { SObjects } from '../../../generated/sobjects';
import { investigateRun } from '../../history';
import { runSync } from '..';
import { addActivities, config, FAST, harness, NOW, seed, TEAM, type Harness } from './helpers/fixture';

const A = SObjects.Activity;

describe('record errors recorded with their hints, and job splitting', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('splits a push into several jobs by size and moves the watermark only when all are read', async () => {
    h = await harness();
    await seed(h.store, { members: 3, activities: 50 });
    const summary = await runSync({
      store: h.store,
      connection: h.connection(),
      config: config(),
      type: 'backfill',
      now: NOW,
      tuning: { ...FAST, maxJobBytes: 2_000 },
    });
    expect(summary.status).toBe('Succeeded');
    const jobs = (await investigateRun(h.store, summary.runId)).jobs.activity;
    expect(jobs.length).toBeGreaterThan(3);
    expect(jobs.every((j) => j.state === 'JobComplete')).toBe(true);
    expect(h.emu.org.records(A)).toHaveLength(50);
    expect(await h.store.ledger.watermark('activity')).toBe(await h.store.maxSeq());
  });

  it('INSUFFICIENT_ACCESS_OR_READONLY without Modify All on records the integration user does not own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-ps-'));
    cpSync('force-app/main/default/permissionsets', dir, { recursive: true });
    for (const f of readdirSync(dir)) {
      const file = join(dir, f);
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          /<modifyAllRecords>true<\/modifyAllRecords>/g,
          '<modifyAllRecords>false</modifyAllRecords>',
        ),
      );
    }
    h = await harness({ permissionSetsDir: dir });
    rmSync(dir, { recursive: true, force: true });
    // The community already exists, created by an admin (so owned by someone else).
    h.emu.org.insert(SObjects.Community, [{ Name: 'Test Community', tightknit__Tightknit_Id__c: TEAM }]);
    await seed(h.store, { members: 1, activities: 1 });
    const summary = await h.run('backfill');
    expect(summary.objects.community.failed).toBe(1);
    const group = (await investigateRun(h.store, summary.runId)).errors.find(
      (g) => g.code === 'INSUFFICIENT_ACCESS_OR_READONLY',
    );
    expect(group?.object).toBe('community');
    expect(group?.hint?.fix).toMatch(/Modify All/);
  });

  it('INVALID_FIELD foreign key when the parent is gone from the org, with the parent hint', async () => {
    h = await harness();
    await seed(h.store, { members: 2, activities: 2 });
    await h.run('backfill');
    // The org is replaced by an empty one (a sandbox refresh): the ledger still believes the members exist.
    const other = await startEmulator();
    try {
      await addActivities(h.store, 100, 2, 2);
      const tokens = other.issueTokens('integration');
      const conn = { instanceUrl: other.instanceUrl, accessToken: tokens.accessToken, version: '65.0' };
      const summary = await runSync({
        store: h.store,
        connection: conn,
        config: config(),
        type: 'incremental',
        now: NOW,
        tuning: FAST,
      });
      expect(summary.objects.activity.failed).toBe(2);
      const group = (await investigateRun(h.store, summary.runId)).errors.find((g) => g.object === 'activity');
      expect(group?.code).toBe('INVALID_FIELD');
      expect(group?.message).toMatch(/Foreign key external ID/);
      expect(group?.hint?.cause).toMatch(/parent/);
    } finally {
      await other.close();
    }
  });
});
