import type { Pool } from 'pg';
import { openPool } from '../../db/connect';
import { migrate } from '../../db/migrate';
import { usePostgres } from '../../../test-support/postgres';
import { ENGAGEMENT, NOW, activity, community, member } from '../../../test-support/store-contract/fixtures';
import { PgStore } from '..';
import { COPY_BATCH } from '../activity-copy';

/** The writer's buffered activities (COPY, then one merge): what row-by-row upserts would have stored. */
describe('PostgreSQL store: activities written with COPY', () => {
  const pg = usePostgres();
  let pool: Pool;
  let store: PgStore;

  beforeAll(async () => {
    pool = await openPool(pg.url);
    await migrate(pool);
    const { rows } = await pool.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('copy') RETURNING id");
    store = PgStore.open(pool, Number(rows[0].id), 'tenant copy');
  }, 60_000);
  afterAll(async () => {
    await pool.end();
  });

  it('keeps text exactly (quotes, commas, new lines, empty text apart from null) across several batches', async () => {
    const w = await store.beginWrite();
    await w.putCommunity(community());
    await w.putMember(member('m1'));
    const n = COPY_BATCH + 3;
    for (let i = 0; i < n; i += 1) {
      await w.putActivity(activity(`a${i}`, 'm1', 1, { summary: `said "hi", then\nleft ${i}`, channelName: '' }));
    }
    await w.putActivity(activity('a0', 'm1', 1, { summary: 'edited', metadata: '{"x":"\\\\"}' }));
    expect(await w.activityMember('a1')).toBe('m1');
    const counts = await w.commit(NOW, ENGAGEMENT);
    // a0 went out in the first batch, so its second write counts as a change (as row by row).
    expect(counts.activities).toEqual({ new: n, changed: 1, unchanged: 0, deleted: 0 });
    const first = await store.getActivity('a0');
    expect(first?.row).toMatchObject({ summary: 'edited', metadata: '{"x":"\\\\"}', channelName: null });
    expect((await store.getActivity(`a${n - 1}`))?.row).toMatchObject({
      summary: `said "hi", then\nleft ${n - 1}`,
      channelName: '',
      permalink: null,
    });
    const seqs = (await store.changedActivities(0, n + 10)).map((r) => r.seq);
    expect(new Set(seqs).size).toBe(n);
    // Put order is sequence order; a0's last write came after every other activity.
    expect((await store.changedActivities(0, n + 10)).at(-1)?.row.tightknitId).toBe('a0');
  });

  it('writes nothing for rows that did not change, and moves only a changed one past the rest', async () => {
    const before = await store.maxSeq();
    const w = await store.beginWrite();
    await w.putActivity(activity('a1', 'm1', 1, { summary: 'said "hi", then\nleft 1', channelName: '' }));
    await w.putActivity(activity('a2', 'm1', 1, { summary: 'changed', channelName: '' }));
    const counts = await w.commit(NOW, ENGAGEMENT);
    expect(counts.activities).toEqual({ new: 0, changed: 1, unchanged: 1, deleted: 0 });
    expect((await store.getActivity('a2'))?.seq).toBeGreaterThan(before);
    expect((await store.getActivity('a1'))?.seq).toBeLessThanOrEqual(before);
  });

  it('sends nothing of a write that rolls back', async () => {
    const w = await store.beginWrite();
    await w.putActivity(activity('gone', 'm1', 1));
    await w.rollback();
    expect(await store.getActivity('gone')).toBeUndefined();
  });
});
