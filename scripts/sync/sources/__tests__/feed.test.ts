import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../errors';
import type { AsyncStore } from '../../store';
import { FEED_ACTIVITY_TYPES, parseFeedEvent } from '../feed/schema';
import { cleanup, newStore, run, tempDir } from './helpers';

const FEED = join(__dirname, 'fixtures', 'feed.ndjson');
const SCHEMA = join(__dirname, '..', '..', '..', '..', 'schemas', 'event-feed.schema.json');

describe('NDJSON event feed ingest', () => {
  let dir: string;
  let store: AsyncStore;

  beforeEach(() => {
    dir = tempDir();
    store = newStore(dir);
  });
  afterEach(async () => {
    await store.close();
    cleanup(dir);
  });

  it('maps community, member and activity events', async () => {
    const summary = await run(store, FEED);
    expect(summary.source).toBe('event-feed');
    expect(summary.linesRead).toBe(14);
    expect((await store.getCommunity('tk:acme'))!.row).toMatchObject({
      name: 'Acme Builders',
      platform: 'Other',
      description: 'Makers, "builders", and friends\n\twelcome',
      studioUrl: 'https://studio.example.com/acme',
      memberCount: 2,
    });
    // member.updated merges: fields it does not carry keep their values.
    expect((await store.getMember('tk:acme:m1'))!.row).toMatchObject({
      name: 'Ana Lima',
      email: 'ana@example.com',
      title: 'Head of Growth',
      joinedAt: '2026-01-02T09:00:00.000Z',
    });
    expect((await store.getMember('tk:acme:m2'))!.row.email).toBe('ANA@EXAMPLE.COM');

    expect((await store.getActivity('tk:post:1'))!.row).toMatchObject({
      activityType: 'post_created',
      sourceType: 'post.created',
      summary: 'Created a post in #announcements',
    });
    expect(JSON.parse((await store.getActivity('tk:post:1'))!.row.metadata!)).toEqual({
      title: 'Hello',
      excerpt: 'Body, with "quotes"',
    });
    expect((await store.getActivity('tk:comment:1'))!.row).toMatchObject({
      activityType: 'comment_created',
      targetMemberId: 'tk:acme:m1',
      occurredAt: '2026-01-10T09:00:00.000Z',
    });
    expect((await store.getActivity('tk:react:1'))!.row.summary).toBe('Reacted :tada: in #general');
    expect((await store.getActivity('tk:evreg:1'))!.row).toMatchObject({
      activityType: 'event_registered',
      summary: 'Registered for Builders Summit 2026',
    });
    expect((await store.getActivity('tk:evatt:1'))!.row.summary).toBe('Attended Builders Summit 2026 (in person)');
    // Unknown type: other, with the source's string kept.
    expect((await store.getActivity('tk:kudos:1'))!.row).toMatchObject({
      activityType: 'other',
      sourceType: 'kudos.given',
    });
    // slack_message.deleted removes the activity; member.deleted keeps the member as Deleted, cleared.
    expect((await store.getActivity('tk:msg:1'))!.deleted).toBe(true);
    expect((await store.getMember('tk:acme:m3'))!.row).toMatchObject({
      status: 'Deleted',
      name: 'Deleted user',
      email: null,
    });
    expect((await store.getActivity('tk:react:1'))!.deleted).toBe(true);
    expect((await store.getActivity('tk:kudos:1'))!.deleted).toBe(false);
  });

  it('accepts a byte order mark and CRLF line ends', async () => {
    const feed = join(dir, 'bom.ndjson');
    writeFileSync(feed, `\uFEFF${readFileSync(FEED, 'utf8').replace(/\n/g, '\r\n')}`);
    const summary = await run(store, feed);
    expect(summary.skipped).toEqual([]);
    expect(await store.getCommunity('tk:acme')).toBeDefined();
  });

  it('is idempotent', async () => {
    const first = await run(store, FEED);
    const again = await run(store, FEED);
    expect(again.maxSeq).toBe(first.maxSeq);
    expect(again.activities).toMatchObject({ new: 0, changed: 0 });
  });

  it('purges a member entirely when member.deleted says purge', async () => {
    const feed = join(dir, 'purge.ndjson');
    writeFileSync(
      feed,
      `${readFileSync(FEED, 'utf8')}{"type":"member.deleted","community_id":"tk:acme","member_id":"tk:acme:m1","purge":true}\n`,
    );
    await run(store, feed);
    const m1 = (await store.getMember('tk:acme:m1'))!;
    expect(m1.deleted).toBe(true);
    expect((await store.getActivity('tk:post:1'))!.deleted).toBe(true);
    expect((await store.counts()).member).toBe(2);
  });

  it('stops at an activity of an unknown member, naming file and line, and changes nothing', async () => {
    const feed = join(dir, 'bad.ndjson');
    const lines = readFileSync(FEED, 'utf8').split('\n');
    lines.splice(
      5,
      0,
      JSON.stringify({
        type: 'post.created',
        id: 'tk:post:x',
        community_id: 'tk:acme',
        member_id: 'tk:acme:nobody',
        occurred_at: '2026-01-10T10:00:00Z',
      }),
    );
    writeFileSync(feed, lines.join('\n'));
    const error = (await run(store, feed).catch((e: unknown) => e)) as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain(`${feed} line 6`);
    expect(error.message).toContain('tk:acme:nobody');
    expect(error.actions[0]).toContain('member.created');
    expect(await store.counts()).toEqual({ community: 0, member: 0, activity: 0 });
  });

  it('with skipInvalid, lists every bad line and imports the rest', async () => {
    const feed = join(dir, 'bad.ndjson');
    writeFileSync(
      feed,
      [
        '{"type":"community.created","community":{"id":"c","name":"C"}}',
        '{"type":"member.created","community_id":"c","member":{"id":"m","name":"M"}}',
        '{not json',
        '{"type":"post.created","id":"p1","community_id":"c","member_id":"m","occurred_at":"yesterday"}',
        '{"type":"post.created","id":"p2","community_id":"c","member_id":"ghost","occurred_at":"2026-01-01T00:00:00Z"}',
        '{"type":"post.created","id":"p3","community_id":"nope","member_id":"m","occurred_at":"2026-01-01T00:00:00Z"}',
        '{"no_type":true}',
        '{"type":"post.created","id":"p4","community_id":"c","member_id":"m","occurred_at":"2026-01-01T00:00:00Z"}',
      ].join('\r\n'),
    );
    const summary = await run(store, feed, { skipInvalid: true });
    expect(summary.skipped.map((s) => s.line)).toEqual([3, 4, 5, 6, 7]);
    expect(summary.skipped[1].reason).toContain('occurred_at');
    expect(await store.getActivity('p4')).toBeDefined();
    expect(summary.activities.new).toBe(1);
  });

  it('keeps the JSON Schema in step with the event types the ingest knows', () => {
    const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
    const text = JSON.stringify(schema);
    for (const type of [...Object.keys(FEED_ACTIVITY_TYPES), 'community.updated', 'member.created', 'member.deleted']) {
      expect(text).toContain(`"${type}"`);
    }
    expect(parseFeedEvent({ type: 'member.created', community_id: 'c', member: {} }).ok).toBe(false);
  });
});
