import type { Pool } from 'pg';
import { openPool } from '../../db/connect';
import { migrate } from '../../db/migrate';
import { withTenant } from '../../db/tenant-scope';
import { usePostgres } from '../../../test-support/postgres';
import { ENGAGEMENT, NOW, activity, allSeqs, ingest } from '../../../test-support/store-contract/fixtures';
import { PgStore } from '..';

/** Two tenants' stores in one database: each sees only its own rows, whatever it asks for. */
describe('PostgreSQL store: tenants in one database', () => {
  const pg = usePostgres();
  let pool: Pool;
  let a: PgStore;
  let b: PgStore;
  let ids: { a: number; b: number };

  beforeAll(async () => {
    pool = await openPool(pg.url);
    await migrate(pool);
    const { rows } = await pool.query<{ id: string }>(
      "INSERT INTO tenants (name) VALUES ('acme'), ('globex') RETURNING id",
    );
    ids = { a: Number(rows[0].id), b: Number(rows[1].id) };
    a = PgStore.open(pool, ids.a, 'tenant acme');
    b = PgStore.open(pool, ids.b, 'tenant globex');
  }, 60_000);
  afterAll(async () => {
    await pool.end();
  });

  it('keeps the same ids apart, each tenant with its own change sequence', async () => {
    await ingest(a, ['m1', 'm2'], [activity('a1', 'm1', 1), activity('a2', 'm2', 2)]);
    await ingest(b, ['m1'], [activity('a1', 'm1', 3, { summary: 'Globex post' })]);
    expect(await a.counts()).toEqual({ community: 1, member: 2, activity: 2 });
    expect(await b.counts()).toEqual({ community: 1, member: 1, activity: 1 });
    expect((await a.getActivity('a1'))?.row.summary).toBe('Posted');
    expect((await b.getActivity('a1'))?.row.summary).toBe('Globex post');
    expect(await a.getMember('m2')).toBeDefined();
    expect(await b.getMember('m2')).toBeUndefined();
    expect((await b.changedActivities(0, 100)).map((r) => r.row.tightknitId)).toEqual(['a1']);
    // b's sequence is its own: 3 rows, then its member's statistics and its community's count (5),
    // untouched by a's writes before it.
    expect(await b.maxSeq()).toBe(5);
    expect(Math.max(...(await allSeqs(b)))).toBe(5);
    expect(await a.maxSeq()).toBeGreaterThan(5);
    const rescored = await a.rescore(new Date(NOW.getTime() + 40 * 86_400_000), ENGAGEMENT);
    expect(rescored.changed).toBe(2);
    expect((await b.getMember('m1'))?.row.activityCount).toBe(1);
  });

  it("keeps each tenant's ledger and bookkeeping to itself", async () => {
    const run = await a.ledger.startRun('backfill');
    await a.ledger.addEvent('info', 'acme only', run);
    await a.inbox.add({ event_id: 'Ev1', team_id: 'T1', event_time: 1, event: { type: 'message' } }, '{}');
    await a.sourceState.set({ k: 'acme' });
    expect(await b.ledger.runs(10)).toEqual([]);
    expect(await b.ledger.run(run)).toBeUndefined();
    expect(await b.ledger.recentEvents(10)).toEqual([]);
    expect(await b.inbox.pending(10)).toEqual([]);
    expect(await b.inbox.add({ event_id: 'Ev1', team_id: 'T9', event_time: 1, event: { type: 'message' } }, '{}')).toBe(
      true,
    );
    expect(await b.sourceState.get('k')).toBeNull();
    expect(await b.ledger.closeInterruptedRuns()).toEqual([]);
    expect((await a.ledger.run(run))?.status).toBe('Running');
  });

  it("makes one tenant's writes take turns, without holding up another tenant's", async () => {
    const first = await a.beginWrite();
    let secondStarted = false;
    const second = a.beginWrite().then((w) => {
      secondStarted = true;
      return w;
    });
    const other = await b.beginWrite();
    await other.commit(NOW, ENGAGEMENT);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(secondStarted).toBe(false);
    await first.rollback();
    await (await second).rollback();
    expect(secondStarted).toBe(true);
  });

  it("refuses a tenant's session that asks for, or writes, another tenant's rows", async () => {
    await withTenant(pool, ids.a, async (c) => {
      const seen = await c.query('SELECT id FROM activities WHERE tenant_id = $1', [ids.b]);
      expect(seen.rowCount).toBe(0);
      const updated = await c.query("UPDATE members SET name = 'taken' WHERE tenant_id = $1", [ids.b]);
      expect(updated.rowCount).toBe(0);
    });
    await expect(
      withTenant(pool, ids.a, (c) =>
        c.query(
          `INSERT INTO communities (tenant_id, id, seq, name, platform) VALUES ($1, 'planted', 999, 'x', 'Other')`,
          [ids.b],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    expect(await b.getCommunity('planted')).toBeUndefined();
    expect((await b.getMember('m1'))?.row.name).toBe('m1');
  });
});
