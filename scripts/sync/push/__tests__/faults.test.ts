import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SObjects } from '../../../generated/sobjects';
import { openConnection } from '../../connection/open';
import { OrgRefusedError } from '../../errors';
import { investigateRun } from '../../history';
import { BulkIngest } from '../../salesforce/bulk';
import { SalesforceHttp } from '../../salesforce/http';
import { retryRun, runSync, summaryOf } from '..';
import { addActivities, config, FAST, harness, NOW, seed, type Harness } from './helpers/fixture';

const A = SObjects.Activity;
const M = SObjects.Member;

describe('faults: resume, locks, tokens, 5xx, failed jobs, limits', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
    await seed(h.store, { members: 4, activities: 40 });
  });
  afterEach(() => h.close());

  it('resumes a job recorded before the process stopped, without pushing its rows again', async () => {
    const controller = new AbortController();
    const first = await runSync({
      store: h.store,
      connection: h.connection(),
      config: config(),
      type: 'backfill',
      now: NOW,
      tuning: FAST,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.object === 'activity' && p.phase === 'processing') controller.abort();
      },
    });
    expect(first.status).toBe('Stopped');
    const ledger = h.store.ledger;
    const open = await ledger.unfinishedJobs();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ object: 'activity', state: 'UploadComplete' });
    expect(open[0].sfJobId).toMatch(/^750/);

    const second = await h.run('incremental');
    expect(second.status).toBe('Succeeded');
    expect(second.message).toMatch(/Resumed 1 Bulk job/);
    expect(await ledger.unfinishedJobs()).toHaveLength(0);
    // The resumed job's results belong to the first run; the second run sent no activity job of its own.
    expect((await investigateRun(h.store, second.runId)).jobs.activity).toHaveLength(0);
    expect((await ledger.runCounts(first.runId)).activity.succeeded).toBe(40);
    expect(h.emu.org.records(A)).toHaveLength(40);
    expect(await ledger.watermark('activity')).toBe(await h.store.maxSeq());
  });

  it('aborts a job whose upload never finished (process killed mid-upload) and sends its rows again', async () => {
    await h.run('backfill');
    await addActivities(h.store, 300, 5, 4);
    // What a process killed during the upload leaves: a run still 'Running' and a recorded job still Open.
    const ledger = h.store.ledger;
    const dead = await ledger.startRun('incremental');
    const bulk = new BulkIngest(new SalesforceHttp(h.connection()));
    const info = await bulk.createJob({
      object: A,
      operation: 'upsert',
      externalIdFieldName: 'tightknit__Tightknit_Id__c',
    });
    await ledger.createJob({
      runId: dead,
      object: 'activity',
      operation: 'upsert',
      purpose: 'push',
      path: 'bulk',
      sfJobId: info.id,
      state: 'Open',
      records: 5,
      bytes: 500,
      seqHi: await h.store.maxSeq(),
    });

    const summary = await h.run('incremental');
    expect(summary.status).toBe('Succeeded');
    expect((await ledger.run(dead))?.status).toBe('Stopped');
    expect((await ledger.jobsOfRun(dead))[0]).toMatchObject({ state: 'Aborted' });
    expect((await bulk.getJob(info.id)).state).toBe('Aborted');
    expect(summary.objects.activity.succeeded).toBe(5);
    expect(h.emu.org.records(A)).toHaveLength(45);
    expect(await ledger.watermark('activity')).toBe(await h.store.maxSeq());
  });

  it('sends the rows of a job Salesforce no longer knows (deleted after 7 days) again', async () => {
    await h.run('backfill');
    await addActivities(h.store, 400, 3, 4);
    const ledger = h.store.ledger;
    const dead = await ledger.startRun('incremental');
    const job = await ledger.createJob({
      runId: dead,
      object: 'activity',
      operation: 'upsert',
      purpose: 'push',
      path: 'bulk',
      sfJobId: '7505g0000000999AAA',
      state: 'UploadComplete',
      records: 3,
      bytes: 300,
      seqHi: await h.store.maxSeq(),
    });
    await ledger.updateJob(job, { uploadedAt: await ledger.now() });
    const summary = await h.run('incremental');
    expect(summary.status).toBe('Succeeded');
    expect(await ledger.job(job)).toMatchObject({ state: 'Expired' });
    expect(summary.objects.activity.succeeded).toBe(3);
    expect(h.emu.org.records(A)).toHaveLength(43);
  });

  it('sends UNABLE_TO_LOCK_ROW rows again in a follow-up job until they pass', async () => {
    h.emu.setFaults({ lockRowRate: 0.25 });
    const summary = await h.run('backfill');
    h.emu.setFaults({ lockRowRate: 0 });
    expect(summary.status).toBe('Succeeded');
    expect(summary.objects.activity).toMatchObject({ succeeded: 40, failed: 0 });
    expect(h.emu.org.records(A)).toHaveLength(40);
    const inv = await investigateRun(h.store, summary.runId);
    expect(inv.jobs.activity.some((j) => j.purpose === 'lock-retry')).toBe(true);
    expect(inv.errors).toHaveLength(0);
  });

  it('sends records that failed for a passing reason (a lock) again with the next run, unasked', async () => {
    const tuning = { ...FAST, lockRetries: 0, collectionsThreshold: 0 };
    const push = (type: 'backfill' | 'incremental'): ReturnType<typeof runSync> =>
      runSync({ store: h.store, connection: h.connection(), config: config(), type, now: NOW, tuning });
    h.emu.setFaults({ lockRowRate: 1, lockRowObjects: [M] });
    const first = await push('backfill');
    h.emu.setFaults({ lockRowRate: 0, lockRowObjects: undefined });
    expect(first.objects.member).toMatchObject({ failed: 4, succeeded: 0 });
    expect(first.objects.activity.heldBack).toBe(40);

    const next = await push('incremental');
    expect(next.status).toBe('Succeeded');
    expect(next.objects.member.succeeded).toBe(4);
    expect(next.objects.activity.succeeded).toBe(40);
    expect(h.emu.org.records(M)).toHaveLength(4);
    expect(h.emu.org.records(A)).toHaveLength(40);
    expect((await investigateRun(h.store, first.runId)).errors[0]).toMatchObject({
      code: 'UNABLE_TO_LOCK_ROW',
      resolved: 4,
    });

    // Nothing failed any more: the run after sends nothing; it only asks what changed on Contact and Lead.
    expect((await push('incremental')).apiCalls).toBe(2);
  });

  it('refreshes an expired token mid-run and carries on', async () => {
    // The connection renews itself as the sync's own: a refresh token through the token endpoint.
    const tokens = h.emu.issueTokens('integration');
    const refreshed: string[] = [];
    const opened = await openConnection({
      credentials: {
        load: async () => ({
          method: 'web',
          loginUrl: h.emu.loginUrl,
          instanceUrl: h.emu.instanceUrl,
          clientId: h.emu.clientId,
          connectedAt: NOW.toISOString(),
          secrets: { ...tokens, clientSecret: h.emu.clientSecret },
        }),
        saveAccessToken: async (token) => void refreshed.push(token),
      },
    });
    h.emu.setFaults({ expireTokensAfterCalls: 6 });
    const summary = await runSync({
      store: h.store,
      connection: opened.connection,
      config: config(),
      type: 'backfill',
      now: NOW,
      tuning: FAST,
    });
    h.emu.setFaults({ expireTokensAfterCalls: undefined });
    expect(summary.status).toBe('Succeeded');
    expect(refreshed.length).toBeGreaterThan(0);
    expect(h.emu.org.records(A)).toHaveLength(40);
  });

  it('retries 5xx answers and dropped connections with backoff', async () => {
    h.emu.setFaults({ serverErrorRate: 0.2, dropConnectionRate: 0.1 });
    const summary = await h.run('backfill');
    h.emu.setFaults({ serverErrorRate: 0, dropConnectionRate: 0 });
    expect(summary.status).toBe('Succeeded');
    expect(h.emu.org.records(A)).toHaveLength(40);
    expect(h.emu.org.records(M)).toHaveLength(4);
  });

  it('records a Failed job’s rows as failed, holds back their activities, and retry sends exactly those', async () => {
    h.emu.setFaults({ failNextJobs: 1 }); // the community job
    const failed = await h.run('backfill');
    expect(failed.status).toBe('Failed');
    expect(failed.objects.community.failed).toBe(1);
    expect(failed.objects.member.heldBack).toBe(4);
    expect(failed.objects.activity.heldBack).toBe(40);
    const inv = await investigateRun(h.store, failed.runId);
    expect(inv.jobs.community[0]).toMatchObject({ state: 'Failed' });
    expect(inv.errors[0]).toMatchObject({ object: 'community', code: 'InternalServerError', count: 1 });
    expect(inv.heldBack.find((g) => g.object === 'activity')).toMatchObject({
      count: 40,
      reason: 'Member not in the org yet',
    });

    const retry = await retryRun({
      store: h.store,
      connection: h.connection(),
      config: config(),
      runId: failed.runId,
      tuning: FAST,
    });
    expect(retry.status).toBe('Succeeded');
    expect(retry.objects.community.succeeded).toBe(1);
    expect(retry.objects.member.succeeded).toBe(4);
    expect(retry.objects.activity.succeeded).toBe(40);
    expect(h.emu.org.records(A)).toHaveLength(40);
    expect((await investigateRun(h.store, failed.runId)).errors[0].resolved).toBe(1);

    // Safe to run twice: nothing left to send, no duplicates.
    const again = await retryRun({
      store: h.store,
      connection: h.connection(),
      config: config(),
      runId: failed.runId,
      tuning: FAST,
    });
    // Nothing to send; like every run, it asks what changed on Contact and Lead (one query each).
    expect(again.apiCalls).toBe(2);
    expect(h.emu.org.records(A)).toHaveLength(40);
  });

  it('stops cleanly on REQUEST_LIMIT_EXCEEDED and says when to retry', async () => {
    await h.run('backfill');
    await addActivities(h.store, 500, 10, 4);
    h.emu.setFaults({ apiRequestLimit: 1 });
    const err = await h.run('incremental').catch((e: unknown) => e);
    h.emu.setFaults({ apiRequestLimit: undefined });
    expect(err).toBeInstanceOf(OrgRefusedError);
    expect((err as OrgRefusedError).code).toBe('REQUEST_LIMIT_EXCEEDED');
    expect((err as OrgRefusedError).actions[0]).toMatch(/Run the sync again after \d{4}-/);
    const summary = summaryOf(err);
    expect(summary?.status).toBe('Stopped');
    const inv = await investigateRun(h.store, summary?.runId ?? 0);
    expect(inv.events[0]).toMatchObject({ code: 'REQUEST_LIMIT_EXCEEDED' });
    expect(inv.events[0].hint?.fix).toMatch(/Wait/);
    // Nothing was acknowledged: the next run sends the 10 activities.
    const next = await h.run('incremental');
    expect(next.objects.activity.succeeded).toBe(10);
  });

  it('fails the member job when Member__c.Contact__c has no field-level security, with the FLS hint', async () => {
    await h.close();
    const dir = mkdtempSync(join(tmpdir(), 'tk-ps-'));
    cpSync('force-app/main/default/permissionsets', dir, { recursive: true });
    for (const f of readdirSync(dir)) {
      const file = join(dir, f);
      const xml = readFileSync(file, 'utf8').replace(
        /<fieldPermissions>\s*<editable>[^<]*<\/editable>\s*<field>Member__c\.Contact__c<\/field>[\s\S]*?<\/fieldPermissions>/g,
        '',
      );
      writeFileSync(file, xml);
    }
    h = await harness({ permissionSetsDir: dir });
    await seed(h.store, { members: 2, activities: 3 });
    const summary = await h.run('backfill');
    rmSync(dir, { recursive: true, force: true });
    expect(summary.objects.member.failed).toBe(2);
    const inv = await investigateRun(h.store, summary.runId);
    expect(inv.jobs.member[0].errorMessage).toMatch(/Field name not found : tightknit__Contact__c/);
    const group = inv.errors.find((g) => g.object === 'member');
    expect(group?.hint?.fix).toMatch(/Tightknit Integration User/);
    expect(group?.hint?.cause).toMatch(/Member__c\.Contact__c/);
    expect(inv.heldBack.find((g) => g.object === 'activity')?.reason).toBe('Member failed to sync');
  });
});
