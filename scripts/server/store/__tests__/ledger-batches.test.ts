import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { openPool } from '../../db/connect';
import { migrate } from '../../db/migrate';
import { usePostgres } from '../../../test-support/postgres';
import { openAsyncStore, type AsyncStore } from '../../../sync/store';
import { PgStore } from '..';

/**
 * The ledger's batch writes are one statement each in PostgreSQL: a batch that names a record twice
 * must leave what the SQLite store (row by row) leaves.
 */
async function writeBatches(store: AsyncStore): Promise<unknown> {
  const l = store.ledger;
  const run = await l.startRun('backfill');
  await l.recordSuccesses(run, 'member', [
    ['m1', 'a01'],
    ['m2', 'a02'],
    ['m1', 'a03'],
  ]);
  await l.recordFailures(run, null, 'activity', [
    ['x1', 'UNABLE_TO_LOCK_ROW: first'],
    ['x2', 'bad value'],
    ['x1', 'UNABLE_TO_LOCK_ROW: second'],
  ]);
  const next = await l.startRun('incremental');
  await l.recordFailures(next, null, 'activity', [['x2', 'still bad']]);
  await l.noteDeletes(next, 'activity', [
    { ext: 'd1', sfId: 's1' },
    { ext: 'd2', sfId: 's1' },
  ]);
  await l.hold(next, 'activity', [
    { externalId: 'h1', reason: 'member missing', waitingOn: 'm9' },
    { externalId: 'h1', reason: 'member failed', waitingOn: null },
  ]);
  await l.markContactIntent(next, [
    { memberId: 'm1', matchValue: 'a@x.com' },
    { memberId: 'm1', matchValue: 'b@x.com' },
  ]);
  await l.saveContactLinks(next, [
    {
      memberId: 'm2',
      matchValue: 'c@x.com',
      status: 'Matched',
      contactId: '003A',
      leadId: null,
      rule: 'Contact.Email',
    },
    {
      memberId: 'm2',
      matchValue: 'c@x.com',
      status: 'Created',
      contactId: '003B',
      leadId: null,
      createdContactId: '003B',
    },
  ]);
  await l.saveContactLinks(next, []);
  await store.matchLedger.recordSeen(
    'Contact',
    [
      { id: '003A', stamp: '2026-01-02' },
      { id: '003A', stamp: '2026-01-03' },
      { id: '003C', stamp: '2025-12-31' },
    ],
    '2026-01-01',
  );
  const link = (id: string): unknown =>
    l.contactLink(id).then((k) => k && { ...k, intentRunId: k.intentRunId === next });
  return {
    sfIds: Object.fromEntries(await l.sfIds('member', ['m1', 'm2'])),
    failed: (await l.failedOfRun(run)).map((f) => [f.externalId, f.code, f.error, f.resolvedRunId === next]),
    failedNext: (await l.failedOfRun(next)).map((f) => [f.externalId, f.code, f.resolvedRunId]),
    deleted: await l.externalIdBySfId('activity', 's1'),
    pending: (await l.pendingOfRun(next)).map((p) => [p.externalId, p.reason, p.waitingOn]),
    links: [await link('m1'), await link('m2')],
    seen: [await store.matchLedger.seenStamp('Contact', '003A'), await store.matchLedger.seenStamp('Contact', '003C')],
  };
}

describe('PostgreSQL ledger: batches written in one statement', () => {
  const pg = usePostgres();
  let pool: Pool;
  let dir: string;

  beforeAll(async () => {
    pool = await openPool(pg.url);
    await migrate(pool);
    dir = mkdtempSync(join(tmpdir(), 'tk-ledger-batches-'));
  }, 60_000);
  afterAll(async () => {
    await pool.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves what the SQLite store leaves when a batch names a record twice', async () => {
    const { rows } = await pool.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('batches') RETURNING id");
    const pgResult = await writeBatches(PgStore.open(pool, Number(rows[0].id), 'tenant batches'));
    const sqlite = openAsyncStore({ stateDir: dir });
    try {
      const expected = await writeBatches(sqlite);
      expect(expected).toMatchObject({
        sfIds: { m1: 'a03', m2: 'a02' },
        deleted: 'd2',
        pending: [['h1', 'member failed', null]],
        seen: ['2026-01-03', null],
      });
      expect(pgResult).toEqual(expected);
    } finally {
      await sqlite.close();
    }
  });
});
