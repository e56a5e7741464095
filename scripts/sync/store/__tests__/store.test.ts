import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_ENGAGEMENT, EngagementConfigSchema } from '../../engagement';
import { UsageError } from '../../errors';
import { onStoreFile } from '../../../test-support/store-file';
import { openStore, type MemberInput, type Store } from '..';
import { applyMigrations, schemaVersion } from '../sqlite/migrations';
import { COMMUNITY_MIGRATIONS } from '../sqlite/migrations/community';
import type { ActivityRow } from '../types';

const NOW = new Date('2026-03-01T15:30:00Z');
const DAY = 86_400_000;

function member(id: string, extra: Partial<MemberInput> = {}): MemberInput {
  return {
    tightknitId: id,
    communityId: 'c',
    name: id,
    email: null,
    firstName: null,
    lastName: null,
    title: null,
    slackUserId: null,
    avatarUrl: null,
    timeZone: null,
    status: 'Active',
    isBot: false,
    joinedAt: null,
    profileUrl: null,
    isPlaceholder: false,
    ...extra,
  };
}

function activity(id: string, memberId: string, daysAgo: number, extra: Partial<ActivityRow> = {}): ActivityRow {
  return {
    tightknitId: id,
    communityId: 'c',
    memberId,
    targetMemberId: null,
    activityType: 'message_sent',
    sourceType: 'message',
    occurredAt: new Date(Date.parse('2026-03-01T00:00:00Z') - daysAgo * DAY).toISOString(),
    channelId: null,
    channelName: null,
    threadId: null,
    permalink: null,
    summary: 'Posted',
    metadata: null,
    ...extra,
  };
}

const community = {
  tightknitId: 'c',
  name: 'C',
  platform: 'Other' as const,
  slackTeamId: null,
  slackDomain: null,
  slackUrl: null,
  logoUrl: null,
  studioUrl: null,
  description: null,
};

describe('store', () => {
  let dir: string;
  let store: Store;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tk-store-'));
    store = openStore({ stateDir: dir });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function seed(rows: ActivityRow[], members = ['a', 'b']): void {
    const w = store.beginWrite();
    w.putCommunity(community);
    for (const id of members) w.putMember(member(id));
    for (const r of rows) w.putActivity(r);
    w.commit(NOW, DEFAULT_ENGAGEMENT);
  }

  describe('migrations', () => {
    it('creates store.db in WAL mode with every community migration applied, once', () => {
      expect(store.location).toBe(join(dir, 'store.db'));
      expect(onStoreFile(store, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
      expect(onStoreFile(store, (db) => schemaVersion(db, 'community'))).toBe(COMMUNITY_MIGRATIONS.length);
      store.close();
      store = openStore({ file: join(dir, 'store.db') });
      expect(onStoreFile(store, (db) => schemaVersion(db, 'community'))).toBe(COMMUNITY_MIGRATIONS.length);
    });

    it('upgrades a store of an older schema in place, keeping its rows', () => {
      const file = join(dir, 'old.db');
      const old = new Database(file);
      applyMigrations(old, 'community', COMMUNITY_MIGRATIONS.slice(0, 2));
      old
        .prepare(
          `INSERT INTO activities (id, seq, community_id, member_id, activity_type, source_type, occurred_at, occurred_ms, summary)
           VALUES ('a1', 7, 'c', 'm', 'other', 'x', '2026-01-01T00:00:00.000Z', 1767225600000, 'Posted')`,
        )
        .run();
      old.close();
      const upgraded = openStore({ file });
      expect(onStoreFile(upgraded, (db) => schemaVersion(db, 'community'))).toBe(COMMUNITY_MIGRATIONS.length);
      expect(upgraded.getActivity('a1')).toMatchObject({ seq: 7, deleted: false, row: { summary: 'Posted' } });
      expect(upgraded.changedActivities(0, 10)).toHaveLength(1);
      upgraded.close();
    });

    it('tracks versions per module, so the ledger can add its own tables', () => {
      const ran: number[] = [];
      const ledger = [
        { version: 1, name: 'runs', up: (db: Database.Database) => (db.exec('CREATE TABLE runs (id)'), ran.push(1)) },
        { version: 2, name: 'jobs', up: (db: Database.Database) => (db.exec('CREATE TABLE jobs (id)'), ran.push(2)) },
      ];
      const db = new Database(':memory:');
      applyMigrations(db, 'community', COMMUNITY_MIGRATIONS);
      applyMigrations(db, 'ledger', ledger.slice(0, 1));
      applyMigrations(db, 'ledger', ledger);
      applyMigrations(db, 'ledger', ledger);
      expect(ran).toEqual([1, 2]);
      expect(schemaVersion(db, 'ledger')).toBe(2);
      expect(schemaVersion(db, 'community')).toBe(COMMUNITY_MIGRATIONS.length);
      db.close();
    });

    it('rolls back a failing migration step', () => {
      const broken = [
        { version: 1, name: 'broken', up: (db: Database.Database) => db.exec('CREATE TABLE x (a); nonsense') },
      ];
      const db = new Database(':memory:');
      expect(() => applyMigrations(db, 'other', broken)).toThrow();
      expect(schemaVersion(db, 'other')).toBe(0);
      db.close();
    });

    it('refuses a store written by a newer release, with a clear message', () => {
      onStoreFile(store, (db) =>
        db.prepare("UPDATE schema_versions SET version = 99 WHERE module = 'community'").run(),
      );
      store.close();
      let error: unknown;
      try {
        store = openStore({ stateDir: dir });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).code).toBe('STORE_SCHEMA_TOO_NEW');
      expect((error as UsageError).message).toContain('newer tightknit-sync');
      expect((error as UsageError).actions[0]).toContain('--state-dir');
      store = openStore({ stateDir: join(dir, 'fresh') });
    });

    it('refuses a file that is not a store', () => {
      const file = join(dir, 'junk.db');
      writeFileSync(file, 'this is not sqlite, just some text long enough to be a header');
      expect(() => openStore({ file })).toThrow(UsageError);
    });
  });

  describe('change sequence', () => {
    it('bumps seq on insert and real change only, across all kinds, and pages by keyset', () => {
      seed([activity('x1', 'a', 1), activity('x2', 'b', 2), activity('x3', 'a', 3)]);
      const all = [
        ...store.changedCommunities(0, 100),
        ...store.changedMembers(0, 100),
        ...store.changedActivities(0, 100),
      ].map((r) => r.seq);
      expect(new Set(all).size).toBe(all.length);
      expect(Math.max(...all)).toBe(store.maxSeq());
      expect(store.counts()).toEqual({ community: 1, member: 2, activity: 3 });

      const page1 = store.changedActivities(0, 2);
      const page2 = store.changedActivities(page1[1].seq, 2);
      expect([...page1, ...page2].map((a) => a.row.tightknitId)).toEqual(['x1', 'x2', 'x3']);
      expect(store.countChanged('activity', page1[0].seq)).toBe(2);

      const before = store.maxSeq();
      seed([activity('x1', 'a', 1), activity('x2', 'b', 2), activity('x3', 'a', 3)]);
      expect(store.maxSeq()).toBe(before);

      const w = store.beginWrite();
      w.putActivity(activity('x2', 'b', 2, { summary: 'Posted in #general' }));
      w.commit(NOW, DEFAULT_ENGAGEMENT);
      const changed = store.changedActivities(before, 100);
      expect(changed.map((a) => a.row.tightknitId)).toEqual(['x2']);
      expect(store.changedMembers(before, 100)).toEqual([]);
      expect(store.getActivity('x2')!.row.summary).toBe('Posted in #general');
    });

    it('a new activity bumps its member (stats changed) and the member count bumps the community', () => {
      seed([activity('x1', 'a', 1)]);
      const before = store.maxSeq();
      const w = store.beginWrite();
      w.putMember(member('c1'));
      w.putActivity(activity('x9', 'a', 0));
      const counts = w.commit(NOW, DEFAULT_ENGAGEMENT);
      expect(counts.members).toEqual({ new: 1, changed: 1, unchanged: 0 });
      expect(
        store
          .changedMembers(before, 10)
          .map((m) => m.row.tightknitId)
          .sort(),
      ).toEqual(['a', 'c1']);
      expect(store.getMember('a')!.row).toMatchObject({ activityCount: 2, lastActiveAt: '2026-03-01T00:00:00.000Z' });
      expect(store.changedCommunities(before, 10)[0].row.memberCount).toBe(3);
    });

    it('rolls back everything when a writer is abandoned', () => {
      seed([activity('x1', 'a', 1)]);
      const before = store.maxSeq();
      const w = store.beginWrite();
      w.putActivity(activity('x2', 'a', 1));
      w.rollback();
      expect(store.getActivity('x2')).toBeUndefined();
      expect(store.maxSeq()).toBe(before);
    });

    it('marks the activities of a member removed at the source deleted, with new seqs', () => {
      seed([activity('x1', 'a', 1), activity('x2', 'b', 1)]);
      const before = store.maxSeq();
      const w = store.beginWrite();
      expect(w.removeMember('a')).toBe(true);
      const counts = w.commit(NOW, DEFAULT_ENGAGEMENT);
      expect(counts.activities.deleted).toBe(1);
      const changed = store.changedActivities(before, 10);
      expect(changed.map((a) => [a.row.tightknitId, a.deleted])).toEqual([['x1', true]]);
      expect(store.getMember('a')!.deleted).toBe(true);
      expect(store.counts()).toEqual({ community: 1, member: 1, activity: 1 });
    });
  });

  describe('engagement', () => {
    it('scores with design.md formula and decays on rescore, bumping only changed members', () => {
      // a: a message today (3) and a post 30 days ago (5 × 0.5); b: one reaction 200 days ago (outside the window).
      seed([
        activity('x1', 'a', 0),
        activity('x2', 'a', 30, { activityType: 'post_created' }),
        activity('x3', 'b', 200, { activityType: 'reaction_added' }),
      ]);
      expect(store.getMember('a')!.row).toMatchObject({ engagementScore: 5.5, engagementLevel: 'Medium' });
      expect(store.getMember('b')!.row).toMatchObject({
        engagementScore: 0,
        engagementLevel: 'None',
        activityCount: 1,
      });

      // Same UTC day: nothing moves.
      expect(store.rescore(new Date('2026-03-01T23:59:00Z'), DEFAULT_ENGAGEMENT)).toEqual({ changed: 0 });

      const before = store.maxSeq();
      expect(store.rescore(new Date(NOW.getTime() + 30 * DAY), DEFAULT_ENGAGEMENT)).toEqual({ changed: 1 });
      expect(store.getMember('a')!.row).toMatchObject({ engagementScore: 2.75, engagementLevel: 'Low' });
      expect(store.changedMembers(before, 10).map((m) => m.row.tightknitId)).toEqual(['a']);
    });

    it('uses the configured weights and thresholds', () => {
      seed([activity('x1', 'a', 0)]);
      const config = EngagementConfigSchema.parse({
        weights: { message_sent: 50 },
        thresholds: { champion: 45, high: 20, medium: 10 },
      });
      store.rescore(NOW, config);
      expect(store.getMember('a')!.row).toMatchObject({ engagementScore: 50, engagementLevel: 'Champion' });
    });
  });
});

describe('store shared by two processes', () => {
  it('refuses a second writer with a clear error instead of waiting forever', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-store-'));
    const first = openStore({ stateDir: dir });
    const second = openStore({ stateDir: dir });
    const writer = first.beginWrite();
    let error: unknown;
    try {
      second.beginWrite();
    } catch (e) {
      error = e;
    }
    expect((error as UsageError).code).toBe('STORE_BUSY');
    writer.rollback();
    first.close();
    second.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
