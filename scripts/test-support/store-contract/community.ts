import { ENGAGEMENT, NOW, activity, allSeqs, community, ingest, member } from './fixtures';
import type { SuiteContext } from '.';

/** Community data: one change sequence, keyset pages, idempotent upserts, all-or-nothing writes. */
export function describeCommunityData(ctx: SuiteContext): void {
  describe('community data and the change sequence', () => {
    it('gives every row its own change sequence, one sequence across the three kinds', async () => {
      const store = ctx.store();
      expect(await store.maxSeq()).toBe(0);
      await ingest(store, ['m1', 'm2'], [activity('a1', 'm1', 1), activity('a2', 'm2', 2)]);
      const seqs = await allSeqs(store);
      expect(seqs).toHaveLength(5);
      expect(new Set(seqs).size).toBe(5);
      expect(await store.maxSeq()).toBe(Math.max(...seqs));
      expect(await store.counts()).toEqual({ community: 1, member: 2, activity: 2 });
    });

    it('pages changes in ascending sequence order after a given sequence', async () => {
      const store = ctx.store();
      await ingest(
        store,
        ['m1'],
        [1, 2, 3, 4, 5].map((i) => activity(`a${i}`, 'm1', i)),
      );
      const all = await store.changedActivities(0, 100);
      expect(all.map((r) => r.seq)).toEqual([...all.map((r) => r.seq)].sort((a, b) => a - b));
      const first = await store.changedActivities(0, 2);
      const next = await store.changedActivities(first[1].seq, 2);
      const last = await store.changedActivities(next[1].seq, 2);
      expect([...first, ...next, ...last].map((r) => r.row.tightknitId)).toEqual(all.map((r) => r.row.tightknitId));
      expect(last).toHaveLength(1);
      expect(await store.changedActivities(last[0].seq, 2)).toEqual([]);
      expect(await store.countChanged('activity', first[1].seq)).toBe(3);
    });

    it('keeps the sequence of a row written again unchanged, and moves a changed row past every other', async () => {
      const store = ctx.store();
      await ingest(store, ['m1'], [activity('a1', 'm1', 1), activity('a2', 'm1', 2)]);
      const before = await allSeqs(store);
      const maxBefore = await store.maxSeq();

      const again = await store.beginWrite();
      expect(await again.putCommunity(community())).toBe('unchanged');
      expect(await again.putMember(member('m1'))).toBe('unchanged');
      await again.putActivity(activity('a1', 'm1', 1));
      await again.putActivity(activity('a2', 'm1', 2));
      const counts = await again.commit(NOW, ENGAGEMENT);
      expect(counts.activities).toMatchObject({ new: 0, changed: 0, unchanged: 2 });
      expect(await allSeqs(store)).toEqual(before);
      expect(await store.maxSeq()).toBe(maxBefore);

      const edit = await store.beginWrite();
      await edit.putActivity(activity('a1', 'm1', 1, { summary: 'Edited' }));
      await edit.commit(NOW, ENGAGEMENT);
      const a1 = await store.getActivity('a1');
      expect(a1).toMatchObject({ deleted: false, row: { summary: 'Edited' } });
      expect(a1!.seq).toBeGreaterThan(maxBefore);
      expect(await store.maxSeq()).toBe(a1!.seq);
      expect((await store.getActivity('a2'))!.seq).toBeLessThanOrEqual(maxBefore);
    });

    it('leaves the store exactly as it was when a write rolls back', async () => {
      const store = ctx.store();
      await ingest(store, ['m1'], [activity('a1', 'm1', 1)]);
      const seqs = await allSeqs(store);
      const w = await store.beginWrite();
      await w.putMember(member('m2'));
      await w.putActivity(activity('a2', 'm2', 1));
      await w.deleteActivity('a1');
      await w.rollback();
      expect(await store.getMember('m2')).toBeUndefined();
      expect(await store.getActivity('a1')).toMatchObject({ deleted: false });
      expect(await allSeqs(store)).toEqual(seqs);
      // The store takes the next write as usual.
      await ingest(store, ['m1', 'm2'], []);
      expect(await store.counts()).toMatchObject({ member: 2 });
    });

    it('keeps a deleted activity in the change pages, marked deleted, and out of the counts', async () => {
      const store = ctx.store();
      await ingest(store, ['m1'], [activity('a1', 'm1', 1), activity('a1:reaction:tada:m1', 'm1', 1)]);
      const w = await store.beginWrite();
      expect(await w.deleteActivityTree('a1')).toBe(2);
      expect(await w.deleteActivity('a1')).toBe(false);
      await w.commit(NOW, ENGAGEMENT);
      const page = await store.changedActivities(0, 10);
      expect(page.map((r) => [r.row.tightknitId, r.deleted])).toEqual([
        ['a1', true],
        ['a1:reaction:tada:m1', true],
      ]);
      expect(await store.counts()).toMatchObject({ activity: 0 });
      expect((await store.getMember('m1'))?.row.activityCount).toBe(0);
    });

    it('keeps member statistics and rescores only members whose score moved', async () => {
      const store = ctx.store();
      await ingest(store, ['m1', 'm2'], [activity('a1', 'm1', 1, { activityType: 'post_created' })]);
      const m1 = await store.getMember('m1');
      expect(m1?.row).toMatchObject({ activityCount: 1, lastActiveAt: activity('a1', 'm1', 1).occurredAt });
      expect(m1!.row.engagementScore).toBeGreaterThan(0);
      expect((await store.getCommunity('c'))?.row.memberCount).toBe(2);

      expect(await store.rescore(NOW, ENGAGEMENT)).toEqual({ changed: 0 });
      const later = new Date(NOW.getTime() + 60 * 86_400_000);
      expect(await store.rescore(later, ENGAGEMENT)).toEqual({ changed: 1 });
      const rescored = await store.getMember('m1');
      expect(rescored!.row.engagementScore).toBeLessThan(m1!.row.engagementScore);
      expect(rescored!.seq).toBe(await store.maxSeq());
    });

    it('commits the bookkeeping written through a write with it, and rolls it back with it', async () => {
      const store = ctx.store();
      const position = { offset: 10, line: 2, headBytes: 10, headHash: 'h', updatedAt: NOW.toISOString() };
      const undone = await store.beginWrite();
      await undone.putActivity(activity('a1', 'm1', 1));
      await undone.slackCursors.putChannel('c', 'C1', 'general', 'public');
      await undone.feedPositions.save('/feed.ndjson', position);
      await undone.rollback();
      expect(await store.slackCursors.channel('c', 'C1')).toBeUndefined();
      expect(await store.feedPositions.get('/feed.ndjson')).toBeUndefined();

      const done = await store.beginWrite();
      await done.putCommunity(community());
      await done.putMember(member('m1'));
      await done.putActivity(activity('a1', 'm1', 1));
      await done.slackCursors.putChannel('c', 'C1', 'general', 'public');
      await done.feedPositions.save('/feed.ndjson', position);
      await done.commit(NOW, ENGAGEMENT);
      expect(await store.slackCursors.channel('c', 'C1')).toMatchObject({ name: 'general', watermarkTs: null });
      expect(await store.feedPositions.get('/feed.ndjson')).toEqual(position);
    });

    it('runs a transaction as one: all of it commits, or none of it', async () => {
      const store = ctx.store();
      const run = await store.ledger.startRun('incremental');
      await expect(
        store.transaction(async (tx) => {
          await tx.ledger.recordSuccesses(run, 'member', [['m1', '001A']]);
          await tx.ledger.setWatermark('member', 7, run);
          throw new Error('results not recorded');
        }),
      ).rejects.toThrow('results not recorded');
      expect(await store.ledger.watermark('member')).toBe(0);
      expect(await store.ledger.sfId('member', 'm1')).toBeUndefined();

      const value = await store.transaction(async (tx) => {
        await tx.ledger.recordSuccesses(run, 'member', [['m1', '001A']]);
        await tx.ledger.setWatermark('member', 7, run);
        return 'recorded';
      });
      expect(value).toBe('recorded');
      expect(await store.ledger.watermark('member')).toBe(7);
      expect(await store.ledger.sfId('member', 'm1')).toBe('001A');
    });

    it('writes a batch of activities as the same writes one by one would, in order', async () => {
      const store = ctx.store();
      await ingest(store, ['m1'], [activity('a1', 'm1', 1)]);
      const w = await store.beginWrite();
      await w.putActivities([
        { row: activity('a2', 'm1', 2) },
        // ifAbsent: a stored row is kept as it is, a new one is written.
        { row: activity('a1', 'm1', 1, { summary: 'not written' }), ifAbsent: true },
        { row: activity('a3', 'm1', 3), ifAbsent: true },
        {
          row: activity('a2', 'm1', 2, { summary: 'changed' }),
          occurredMs: Date.parse(activity('a2', 'm1', 2).occurredAt),
        },
      ]);
      await w.putActivities([]);
      expect(w.activitiesSeen).toBe(4);
      const counts = await w.commit(NOW, ENGAGEMENT);
      expect(counts.activities).toMatchObject({ new: 2, deleted: 0 });
      expect((await store.getActivity('a1'))?.row.summary).toBe(activity('a1', 'm1', 1).summary);
      expect((await store.getActivity('a2'))?.row.summary).toBe('changed');
      const seq = async (id: string): Promise<number> => (await store.getActivity(id))!.seq;
      expect(await seq('a3')).toBeLessThan(await seq('a2'));
      expect(await store.counts()).toEqual({ community: 1, member: 1, activity: 3 });
    });
  });
}
