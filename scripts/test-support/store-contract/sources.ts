import type { InboxEnvelope } from '../../sync/store';
import { ENGAGEMENT, NOW, activity, community, member } from './fixtures';
import type { SuiteContext } from '.';

function envelope(id: string, type = 'message'): InboxEnvelope {
  return { event_id: id, team_id: 'T1', event_time: 1767000000, event: { type } };
}

const at = (ms: number) => new Date(NOW.getTime() + ms);
const DAY = 86_400_000;

/** The sources' bookkeeping: the Slack inbox, receivers, the Slack reader's cursors, feed positions, settings. */
export function describeSourceBookkeeping(ctx: SuiteContext): void {
  describe("the sources' bookkeeping", () => {
    it('stores each Slack event once, in receive order, and marks it applied with the transaction that applied it', async () => {
      const store = ctx.store();
      const { inbox } = store;
      expect(await inbox.add(envelope('Ev2'), '{"b":2}', at(0))).toBe(true);
      expect(await inbox.add(envelope('Ev1', 'team_join'), '{"b":1}', at(1000))).toBe(true);
      expect(await inbox.add(envelope('Ev2'), '{"b":2}', at(2000))).toBe(false);
      expect((await inbox.pending(10)).map((e) => [e.eventId, e.type, e.body])).toEqual([
        ['Ev2', 'message', '{"b":2}'],
        ['Ev1', 'team_join', '{"b":1}'],
      ]);

      await expect(
        store.transaction(async (tx) => {
          await tx.inbox.markApplied(['Ev2']);
          throw new Error('store write failed');
        }),
      ).rejects.toThrow('store write failed');
      expect(await inbox.counts()).toMatchObject({ pending: 2, applied: 0 });
      await store.transaction((tx) => tx.inbox.markApplied(['Ev2']));
      expect((await inbox.pending(10)).map((e) => e.eventId)).toEqual(['Ev1']);
      expect(await inbox.counts()).toEqual({
        pending: 1,
        applied: 1,
        lastReceivedAt: at(1000).toISOString(),
        unknownTypes: 0,
      });

      expect(await inbox.prune(at(DAY))).toBe(1);
      expect(await inbox.counts()).toMatchObject({ pending: 1, applied: 0 });
      await inbox.noteUnknownType('app_home_opened');
      await inbox.noteUnknownType('app_home_opened');
      expect(await inbox.unknownTypes()).toEqual({ app_home_opened: 2 });
      expect((await inbox.counts()).unknownTypes).toBe(2);
    });

    it('keeps one row per receiver, most recently heard from first, and forgets long-gone ones', async () => {
      const { receivers } = ctx.store();
      const http = await receivers.started('http', 'http://127.0.0.1:3000/slack/events', at(0));
      const socket = await receivers.started('socket-mode', 'Socket Mode', at(1000));
      await receivers.alive(http, at(2000));
      expect((await receivers.all()).map((r) => r.token)).toEqual([http, socket]);
      await receivers.covered([http]);
      await receivers.stopped(http, at(3000));
      await receivers.alive(http, at(4000));
      const stopped = (await receivers.all()).find((r) => r.token === http);
      expect(typeof stopped?.pid).toBe('number');
      expect(stopped).toMatchObject({
        mode: 'http',
        address: 'http://127.0.0.1:3000/slack/events',
        startedAt: at(0).toISOString(),
        seenAt: at(3000).toISOString(),
        stoppedAt: at(3000).toISOString(),
        covered: true,
      });
      await receivers.started('http', 'http://127.0.0.1:3000/slack/events', at(8 * DAY));
      expect(await receivers.all()).toHaveLength(1);
    });

    it("keeps the Slack reader's channel watermarks, passes, bots and notes per community", async () => {
      const { slackCursors: cursors } = ctx.store();
      await cursors.putChannel('c', 'C2', 'random', 'public');
      await cursors.putChannel('c', 'C1', 'general', 'public');
      await cursors.savePass('c', 'C1', '1768000020.000100', '1768000010.000100');
      expect(await cursors.channel('c', 'C1')).toMatchObject({
        passNewestTs: '1768000020.000100',
        passOldestTs: '1768000010.000100',
        watermarkTs: null,
      });
      await cursors.finishPass('c', 'C1', '1768000020.000100', 5000);
      await cursors.putChannel('c', 'C1', null, 'private');
      await cursors.noteMessage('c', 'C1', 9000);
      await cursors.noteMessage('c', 'C1', 7000);
      await cursors.noteSkipped('c', 'C2', 'not_in_channel', 6000);
      expect(await cursors.channel('c', 'C1')).toEqual({
        channelId: 'C1',
        name: 'general',
        kind: 'private',
        watermarkTs: '1768000020.000100',
        passNewestTs: null,
        passOldestTs: null,
        lastMessageMs: 9000,
        checkedMs: 5000,
        skippedReason: null,
      });
      expect((await cursors.channels('c')).map((ch) => [ch.channelId, ch.skippedReason])).toEqual([
        ['C1', null],
        ['C2', 'not_in_channel'],
      ]);
      await cursors.clearSkipped('c', 'C2');
      expect((await cursors.channel('c', 'C2'))?.skippedReason).toBeNull();
      expect(await cursors.channels('other')).toEqual([]);

      await cursors.putBot('c', 'B1', 'U1');
      expect(await cursors.botUser('c', 'B1')).toBe('U1');
      expect(await cursors.botUser('other', 'B1')).toBeUndefined();
      expect(await cursors.meta('c', 'usersReadAt')).toBeNull();
      await cursors.setMeta('c', 'usersReadAt', '2026-03-01');
      expect(await cursors.meta('c', 'usersReadAt')).toBe('2026-03-01');
    });

    it('tells the Slack reader what the stored activities say of a channel', async () => {
      const store = ctx.store();
      const w = await store.beginWrite();
      await w.putCommunity(community());
      await w.putMember(member('m1'));
      const inGeneral = { channelId: 'C1', channelName: 'general' };
      await w.putActivity(activity('a1', 'm1', 2, inGeneral));
      await w.putActivity(activity('a2', 'm1', 1, inGeneral));
      await w.putActivity(activity('a2:reaction:tada:m1', 'm1', 0, { ...inGeneral, sourceType: 'reaction' }));
      await w.commit(NOW, ENGAGEMENT);
      expect(await store.slackCursors.storedNewestMs('c')).toEqual(
        new Map([['C1', Date.parse(activity('a2', 'm1', 1).occurredAt)]]),
      );
      expect(await store.slackCursors.storedChannelName('c', 'C1')).toBe('general');
      expect(await store.slackCursors.storedChannelName('c', 'C9')).toBeUndefined();
    });

    it('saves, replaces and forgets the position of a followed feed file', async () => {
      const { feedPositions } = ctx.store();
      const position = { offset: 10, line: 2, headBytes: 10, headHash: 'h1', updatedAt: NOW.toISOString() };
      expect(await feedPositions.get('/feeds/a.ndjson')).toBeUndefined();
      await feedPositions.save('/feeds/a.ndjson', position);
      await feedPositions.save('/feeds/a.ndjson', { ...position, offset: 30, line: 5 });
      expect(await feedPositions.get('/feeds/a.ndjson')).toEqual({ ...position, offset: 30, line: 5 });
      expect(await feedPositions.forget('/feeds/a.ndjson')).toBe(true);
      expect(await feedPositions.forget('/feeds/a.ndjson')).toBe(false);
    });

    it("sets and deletes the live source's settings together", async () => {
      const { sourceState } = ctx.store();
      await sourceState.set({ lastCatchUpAt: '2026-03-01T15:00:00.000Z', lastError: '{"code":"X"}' });
      expect(await sourceState.get('lastError')).toBe('{"code":"X"}');
      await sourceState.set({ lastCatchUpAt: '2026-03-01T15:05:00.000Z', lastError: null });
      expect(await sourceState.get('lastCatchUpAt')).toBe('2026-03-01T15:05:00.000Z');
      expect(await sourceState.get('lastError')).toBeNull();
    });
  });
}
