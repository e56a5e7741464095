import { SObjects } from '../../../generated/sobjects';
import { DEFAULT_ENGAGEMENT } from '../../engagement';
import { investigateRun, listRuns } from '../../history';
import { runSync } from '..';
import {
  activity,
  addActivities,
  byExternalId,
  config,
  FAST,
  harness,
  NOW,
  seed,
  TEAM,
  type Harness,
} from './helpers/fixture';

const M = SObjects.Member;
const A = SObjects.Activity;

describe('backfill and incremental runs against the emulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    await seed(h.store, {
      members: 5,
      activities: 20,
      activityExtra: (n) =>
        n === 3
          ? { summary: 'x'.repeat(100_000), metadata: '{"a":"' + 'y'.repeat(100_000) + '"}' }
          : n === 4
            ? { targetMemberId: `${TEAM}:U2` }
            : {},
    });
  });
  afterAll(() => h.close());

  it('pushes communities, then members, then activities, and records Salesforce ids and jobs', async () => {
    const progress: string[] = [];
    const summary = await runSync({
      store: h.store,
      connection: h.connection(),
      config: config({ activityMetadata: true }),
      type: 'backfill',
      now: NOW,
      tuning: FAST,
      onProgress: (p) => {
        if (progress[progress.length - 1] !== p.object) progress.push(p.object);
      },
    });
    expect(summary.status).toBe('Succeeded');
    expect(progress).toEqual(['community', 'member', 'activity']);
    expect(summary.objects.community.succeeded).toBe(1);
    expect(summary.objects.member.succeeded).toBe(5);
    expect(summary.objects.activity.succeeded).toBe(20);
    const members = byExternalId(h.emu.org.records(M));
    expect(members.size).toBe(5);
    const community = h.emu.org.records(SObjects.Community)[0];
    expect(community.tightknit__Member_Count__c).toBe(5);
    expect(community.tightknit__Last_Synced_At__c).toBeTruthy();
    const m1 = members.get(`${TEAM}:U1`);
    expect(m1?.tightknit__Activity_Count__c).toBe(4);
    expect(m1?.tightknit__Contact_Link_Status__c).toBe('Unmatched');

    const activities = byExternalId(h.emu.org.records(A));
    expect(activities.size).toBe(20);
    const targeted = activities.get(activity(4, 4).tightknitId);
    expect(targeted?.tightknit__Target_Member__c).toBe(members.get(`${TEAM}:U2`)?.Id);

    // The sync cuts over-long text itself and counts it; the org never rejects it.
    const long = activities.get(activity(3, 3).tightknitId);
    expect(String(long?.tightknit__Summary__c)).toHaveLength(255);
    expect(String(long?.tightknit__Metadata__c)).toHaveLength(32_000);
    expect(summary.objects.activity.truncated).toBe(1);

    const ledger = h.store.ledger;
    expect(await ledger.sfId('member', `${TEAM}:U1`)).toBe(m1?.Id);
    expect(await ledger.countRecords('activity')).toBe(20);
    const inv = await investigateRun(h.store, summary.runId);
    expect(inv.jobs.community).toHaveLength(1);
    expect(inv.jobs.member[0]).toMatchObject({ state: 'JobComplete', path: 'bulk', records: 5, failed: 0 });
    expect(inv.jobs.activity[0].polls).toBeLessThanOrEqual(10);
    expect(inv.jobs.activity[0].salesforceJobId).toMatch(/^750/);
    expect((await listRuns(h.store))[0]).toMatchObject({ runId: summary.runId, type: 'backfill', status: 'Succeeded' });
  });

  it('is idempotent: a second backfill leaves the same records and no duplicates', async () => {
    const before = h.emu.org
      .records(A)
      .map((r) => r.Id)
      .sort();
    const summary = await runSync({
      store: h.store,
      connection: h.connection(),
      config: config({ activityMetadata: true }),
      type: 'backfill',
      now: NOW,
      tuning: FAST,
    });
    expect(summary.status).toBe('Succeeded');
    expect(
      h.emu.org
        .records(A)
        .map((r) => r.Id)
        .sort(),
    ).toEqual(before);
    expect(h.emu.org.records(M)).toHaveLength(5);
    expect(h.emu.org.records(SObjects.Community)).toHaveLength(1);
  });

  it('asks only what changed on Contact and Lead when nothing changed', async () => {
    h.emu.org.resetApiCallCount();
    const summary = await h.run('incremental');
    // Only the CRM side is asked: one change query each for Contact and Lead (the default match rules).
    expect(summary.apiCalls).toBe(2);
    expect(h.emu.org.apiCallCount()).toBe(2);
    expect(summary.status).toBe('Succeeded');
  });

  it('sends 100 new activities with one job per changed object, in under 5 s', async () => {
    await addActivities(h.store, 1000, 100, 5);
    const started = Date.now();
    const summary = await h.run('incremental');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(summary.objects.activity.succeeded).toBe(100);
    const inv = await investigateRun(h.store, summary.runId);
    expect(inv.jobs.activity).toHaveLength(1);
    // Member stats changed with the new activity, so members go too (one job); communities did not change.
    expect(inv.jobs.member.length).toBeLessThanOrEqual(1);
    // Communities did not change: only their Last_Synced_At__c is stamped, in one Collections call.
    expect(inv.jobs.community).toEqual([
      expect.objectContaining({ purpose: 'touch', path: 'collections', state: 'JobComplete', failed: 0 }),
    ]);
    expect(h.emu.org.records(A)).toHaveLength(120);
  });

  it('chooses sObject Collections for a small delta and shows the path in the history', async () => {
    await addActivities(h.store, 2000, 3, 5);
    const summary = await runSync({
      store: h.store,
      connection: h.connection(),
      config: config(),
      type: 'incremental',
      now: NOW,
      tuning: { ...FAST, collectionsThreshold: 200 },
    });
    const inv = await investigateRun(h.store, summary.runId);
    expect(inv.jobs.activity).toHaveLength(1);
    expect(inv.jobs.activity[0]).toMatchObject({ path: 'collections', records: 3, state: 'JobComplete' });
    expect(h.emu.org.records(SObjects.Community)[0].tightknit__Last_Synced_At__c).toMatch(/^2026-11-20T12:00:00/);
    expect(summary.objects.activity.succeeded).toBe(3);
    expect(h.emu.org.records(A)).toHaveLength(123);
  });

  it('deletes activities deleted at the source with a Bulk delete job', async () => {
    const w = await h.store.beginWrite();
    await w.deleteActivity(activity(1, 1).tightknitId);
    await w.deleteActivity(activity(2, 2).tightknitId);
    await w.commit(NOW, DEFAULT_ENGAGEMENT);
    const summary = await h.run('incremental');
    expect(summary.objects.activity.deleted).toBe(2);
    const inv = await investigateRun(h.store, summary.runId);
    expect(inv.jobs.activity.find((j) => j.operation === 'delete')).toMatchObject({
      state: 'JobComplete',
      records: 2,
      path: 'bulk',
    });
    const left = byExternalId(h.emu.org.records(A));
    expect(left.has(activity(1, 1).tightknitId)).toBe(false);
    expect(left.size).toBe(121);
    expect(await h.store.ledger.sfId('activity', activity(1, 1).tightknitId)).toBeUndefined();
  });

  it('deletes a few activities with one sObject Collections call', async () => {
    const w = await h.store.beginWrite();
    await w.deleteActivity(activity(5, 5).tightknitId);
    await w.commit(NOW, DEFAULT_ENGAGEMENT);
    const summary = await runSync({
      store: h.store,
      connection: h.connection(),
      config: config(),
      type: 'incremental',
      now: NOW,
      tuning: { ...FAST, collectionsThreshold: 200 },
    });
    expect(summary.objects.activity.deleted).toBe(1);
    const inv = await investigateRun(h.store, summary.runId);
    expect(inv.jobs.activity.find((j) => j.operation === 'delete')).toMatchObject({ path: 'collections', records: 1 });
    expect(byExternalId(h.emu.org.records(A)).has(activity(5, 5).tightknitId)).toBe(false);
  });

  it('rescore pushes only members whose score or level changed', async () => {
    const later = new Date(NOW.getTime() + 90 * 86_400_000);
    const summary = await runSync({
      store: h.store,
      connection: h.connection(),
      config: config(),
      type: 'rescore',
      now: later,
      tuning: FAST,
    });
    expect(summary.type).toBe('rescore');
    expect(summary.objects.member.succeeded).toBe(5);
    expect(summary.objects.activity.processed).toBe(0);
    const m = byExternalId(h.emu.org.records(M)).get(`${TEAM}:U1`);
    expect(Number(m?.tightknit__Engagement_Score__c)).toBeLessThan(20);
  });
});
