import type { Pool } from 'pg';
import { openPool } from '../../db/connect';
import { migrate } from '../../db/migrate';
import { usePostgres } from '../../../test-support/postgres';
import { PoolExec } from '../exec';
import { PgStore } from '..';

/**
 * A backfill reads the change sequence a page at a time right after a large import, before
 * PostgreSQL has analyzed the new rows. With those stale statistics the planner fetched every row after
 * the page's start and sorted them, for each page; the store's page reads walk the (tenant_id, seq)
 * index instead, whatever the statistics say.
 */
describe('PostgreSQL store: change-sequence pages walk the seq index', () => {
  const pg = usePostgres();
  let pool: Pool;
  let tenantId: number;
  const ROWS = 20_000;

  beforeAll(async () => {
    pool = await openPool(pg.url);
    await migrate(pool);
    const { rows } = await pool.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('pages') RETURNING id");
    tenantId = Number(rows[0].id);
    // An import's worth of activities, straight into the table (not analyzed since).
    await pool.query(
      `INSERT INTO activities (tenant_id, id, seq, community_id, member_id, activity_type, source_type,
         occurred_at, occurred_ms, summary)
       SELECT $1, 'a' || n, n, 'c1', 'm' || (n % 100), 'message', 'slack', '2026-01-01T00:00:00.000Z', 0, 'hi'
       FROM generate_series(1, ${ROWS}) AS n`,
      [tenantId],
    );
  }, 60_000);
  afterAll(async () => {
    await pool.end();
  });

  const PAGE = 'SELECT seq, id FROM activities WHERE seq > $1 ORDER BY seq LIMIT $2';

  it('plans an ordered index scan with no sort, even before the table is analyzed', async () => {
    const exec = new PoolExec(pool, tenantId);
    const { rows } = await exec.scan<{ 'QUERY PLAN': string }>(`EXPLAIN ${PAGE}`, [100, 1000]);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toContain('Index Scan using activities_seq on activities');
    expect(plan).not.toMatch(/Sort/);
  });

  it('pages through every change in order, 1,000 at a time', async () => {
    const store = PgStore.open(pool, tenantId, 'pages');
    const seqs: number[] = [];
    for (let after = 0; ;) {
      const page = await store.changedActivities(after, 1000);
      if (page.length === 0) break;
      seqs.push(...page.map((r) => r.seq));
      after = page[page.length - 1].seq;
    }
    expect(seqs).toHaveLength(ROWS);
    expect(seqs.every((s, i) => s === i + 1)).toBe(true);
  });
});
