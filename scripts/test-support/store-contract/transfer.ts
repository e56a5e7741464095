import type { AsyncStore, RowBatch } from '../../sync/store';
import { ENGAGEMENT, NOW, activity, community, member } from './fixtures';
import { contractView, type ViewProbe } from './transfer-view';
import type { SuiteContext } from '.';

const PROBE: ViewProbe = {
  sourceKeys: ['lastCatchUp', 'missing'],
  slackMetaKeys: ['usersReadAt'],
  bots: ['B1'],
  feedPaths: ['/feeds/a.ndjson'],
  fingerprints: ['channels/general/2026-03-01.json'],
};

/** A store with something in every part: rows, a ledger with two runs, links, the sources' bookkeeping. */
async function fill(store: AsyncStore): Promise<void> {
  const w = await store.beginWrite();
  await w.putCommunity(community('c', { name: 'Acme "Builders", Inc.', description: 'line one\nline two' }));
  for (const id of ['m1', 'm2', 'm3'])
    await w.putMember(member(id, { email: `${id}@example.com`, isBot: id === 'm3' }));
  await w.putActivity(activity('a1', 'm1', 1, { channelId: 'C1', channelName: 'general' }));
  await w.putActivity(activity('a2', 'm2', 2, { metadata: '{"k":"v, with comma"}', summary: '' }));
  await w.putActivity(activity('a3', 'm1', 40, { targetMemberId: 'm2' }));
  await w.recordFingerprint('c', 'channels/general/2026-03-01.json', 'abc123', 3);
  await w.slackCursors.putChannel('c', 'C1', 'general', 'public');
  await w.feedPositions.save('/feeds/a.ndjson', {
    offset: 120,
    line: 3,
    headBytes: 64,
    headHash: 'ff00',
    updatedAt: NOW.toISOString(),
  });
  await w.commit(NOW, ENGAGEMENT);
  const del = await store.beginWrite();
  await del.deleteActivity('a3');
  await del.commit(NOW, ENGAGEMENT);

  const { ledger, matchLedger } = store;
  const backfill = await ledger.startRun('backfill');
  await ledger.addCounts(backfill, 'member', { processed: 3, succeeded: 2, failed: 1 });
  const job = await ledger.createJob({
    runId: backfill,
    object: 'member',
    operation: 'upsert',
    purpose: 'push',
    path: 'bulk',
    sfJobId: '750000000000001',
    state: 'JobComplete',
    records: 3,
    bytes: 300,
    seqHi: 4,
  });
  await ledger.updateJob(job, { processed: 3, failed: 1, resultsAt: NOW.toISOString() });
  await ledger.recordSuccesses(backfill, 'community', [['c', 'a0A000000000001']]);
  await ledger.recordSuccesses(backfill, 'member', [
    ['m1', 'a0B000000000001'],
    ['m2', 'a0B000000000002'],
  ]);
  await ledger.recordFailures(backfill, job, 'member', [['m3', 'FIELD_CUSTOM_VALIDATION_EXCEPTION:no bots']]);
  await ledger.hold(backfill, 'activity', [{ externalId: 'a2', reason: 'member failed', waitingOn: 'm2' }]);
  await ledger.setWatermark('community', 1, backfill);
  await ledger.setWatermark('member', 4, backfill);
  await ledger.saveContactLinks(backfill, [
    {
      memberId: 'm1',
      matchValue: 'm1@example.com',
      status: 'Matched',
      contactId: '003000000000001',
      leadId: null,
      rule: 'Contact.Email',
    },
  ]);
  await ledger.markContactIntent(backfill, [{ memberId: 'm2', matchValue: 'm2@example.com' }]);
  await ledger.addEvent('push', 'Backfill pushed 2 members', backfill, 'OK');
  await ledger.finishRun(backfill, 'PartiallyFailed', '1 member failed', 7);
  const retry = await ledger.startRun('retry', backfill);
  await ledger.resolveFailures(retry, 'member', ['m3']);
  await ledger.addEvent('note', 'no run');
  await matchLedger.setWatermark('Contact', '2026-03-01T15:00:00.000Z', retry);
  await matchLedger.addWaiting(retry, ['m2'], 'MATCHING_UNAVAILABLE');

  await store.inbox.add(
    { event_id: 'Ev1', team_id: 'T1', event_time: 1767000000, event: { type: 'message' } },
    '{"x":1}',
    NOW,
  );
  await store.inbox.noteUnknownType('app_home_opened');
  const token = await store.receivers.started('http', 'http://127.0.0.1:3000/slack/events', NOW);
  await store.receivers.covered([token]);
  await store.slackCursors.finishPass('c', 'C1', '1768000020.000100', NOW.getTime());
  await store.slackCursors.putBot('c', 'B1', 'U9');
  await store.slackCursors.setMeta('c', 'usersReadAt', '1767000000000');
  await store.sourceState.set({ lastCatchUp: NOW.toISOString() });
}

async function drain(batches: AsyncIterable<RowBatch>): Promise<RowBatch[]> {
  const out: RowBatch[] = [];
  for await (const b of batches) out.push(b);
  return out;
}

async function* replay(batches: RowBatch[]): AsyncIterable<RowBatch> {
  for (const b of batches) yield await Promise.resolve(b);
}

/** Export and import: a whole store moves into another one of the same kind and shows the same state. */
export function describeTransfer(ctx: SuiteContext): void {
  describe('export and import', () => {
    it('moves every row into an empty store, which then shows the same state', async () => {
      const source = ctx.store();
      await fill(source);
      const batches = await drain(source.transfer.exportRows(2));
      expect(batches[0]).toEqual({ table: 'sequence', lastSeq: await source.maxSeq() });
      expect(batches.every((b) => b.table === 'sequence' || (b.rows.length > 0 && b.rows.length <= 2))).toBe(true);

      const target = await ctx.another();
      const counts = await target.transfer.importRows(replay(batches));
      expect(counts).toMatchObject({ communities: 1, members: 3, activities: 3, ledger_runs: 2, ledger_jobs: 1 });
      expect(await contractView(target, PROBE)).toEqual(await contractView(source, PROBE));

      // The change sequence goes on after the imported one: nothing new hides below a watermark.
      const w = await target.beginWrite();
      await w.putMember(member('m4'));
      await w.commit(NOW, ENGAGEMENT);
      const fresh = await target.getMember('m4');
      expect(fresh?.seq).toBeGreaterThan(await source.maxSeq());
      expect(await target.ledger.startRun('incremental')).toBeGreaterThan(0);
    });

    it('refuses a store that holds rows, and leaves it as it was', async () => {
      const source = ctx.store();
      await fill(source);
      const before = await contractView(source, PROBE);
      const batches = await drain(source.transfer.exportRows(100));
      await expect(source.transfer.importRows(replay(batches))).rejects.toMatchObject({ code: 'STORE_NOT_EMPTY' });
      expect(await contractView(source, PROBE)).toEqual(before);
    });

    it('writes nothing when a row is bad, however far the import got', async () => {
      const source = ctx.store();
      await fill(source);
      const batches = await drain(source.transfer.exportRows(100));
      const target = await ctx.another();
      const empty = await contractView(target, PROBE);
      const dangling = batches.map((b) =>
        b.table === 'ledger_events' ? { ...b, rows: b.rows.map((r) => [...r.slice(0, 5), 999_999]) } : b,
      );
      await expect(target.transfer.importRows(replay(dangling))).rejects.toMatchObject({ code: 'IMPORT_BAD_ROW' });
      expect(await contractView(target, PROBE)).toEqual(empty);

      const short = batches.map((b) => (b.table === 'slack_meta' ? { ...b, rows: [['c', 'k']] } : b));
      await expect(target.transfer.importRows(replay(short))).rejects.toMatchObject({ code: 'IMPORT_BAD_ROW' });
      expect(await contractView(target, PROBE)).toEqual(empty);
      expect(await target.transfer.importRows(replay(batches))).toMatchObject({ activities: 3 });
    });
  });
}
