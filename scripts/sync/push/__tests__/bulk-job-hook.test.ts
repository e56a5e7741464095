import { SObjects } from '../../../generated/sobjects';
import type { BulkJobHook, PushTuning, RunSummary } from '..';
import { harness, seed, smallJobBackfill, type Harness } from './helpers/fixture';

describe('the push’s bulkJob hook', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    await seed(h.store, { members: 6, activities: 30 });
  });
  afterAll(() => h.close());
  /** A backfill of the harness's store through `bulkJob`, 8 rows a job (`tuning` adds to the test's tuning). */
  const backfill = (
    bulkJob: BulkJobHook,
    opts: { tuning?: Partial<PushTuning>; signal?: AbortSignal } = {},
  ): Promise<RunSummary> => smallJobBackfill(h, { bulkJob, ...opts });

  it('wraps each Bulk ingest job until Salesforce finished it, so an object’s jobs run one at a time, and the push completes', async () => {
    const calls: string[] = [];
    const open = new Map<string, number>();
    let most = 0;
    const leftOpen: number[] = [];
    const bulkJob: BulkJobHook = async (object, run) => {
      calls.push(object);
      open.set(object, (open.get(object) ?? 0) + 1);
      most = Math.max(most, open.get(object) ?? 0);
      try {
        const result = await run();
        // When run() returns, Salesforce has finished its job (the results are read after the hook); the
        // next job may be uploaded already, but it is not Salesforce's to work on before it is closed.
        const unfinished = await h.store.ledger.unfinishedJobs();
        leftOpen.push(unfinished.filter((j) => j.finishedAt === null && j.state !== 'Open').length);
        return result;
      } finally {
        open.set(object, (open.get(object) ?? 1) - 1);
      }
    };
    const summary = await backfill(bulkJob);
    expect(summary.status).toBe('Succeeded');
    expect(summary.objects.activity.succeeded).toBe(30);
    expect(h.emu.org.records(SObjects.Activity)).toHaveLength(30);
    // One call per job: 1 community job, 1 member job (6 rows), 4 activity jobs (30 rows, 8 per job).
    expect(calls).toEqual([
      SObjects.Community,
      SObjects.Member,
      SObjects.Activity,
      SObjects.Activity,
      SObjects.Activity,
      SObjects.Activity,
    ]);
    expect(most).toBe(1);
    expect(leftOpen).toEqual(calls.map(() => 0));
    // Every job the ledger recorded ran inside the hook and was read to the end.
    const jobs = await h.store.ledger.jobsOfRun(summary.runId);
    expect(jobs.filter((j) => j.path === 'bulk')).toHaveLength(calls.length);
    expect(jobs.every((j) => j.resultsAt !== null)).toBe(true);
  });

  it('reads the next file while a job runs in the hook, and starts its job only after that one', async () => {
    await seed(h.store, { members: 6, activities: 30 });
    const pagesRead: number[] = [];
    const store = h.store;
    const read = store.changedActivities.bind(store);
    const spy = jest.spyOn(store, 'changedActivities').mockImplementation(async (after, n) => {
      pagesRead.push(after);
      return read(after, n);
    });
    const seenAtJobEnd: number[] = [];
    const bulkJob: BulkJobHook = async (object, run) => {
      const result = await run();
      // Give the push a moment to read on while this job holds the lock.
      await new Promise((r) => setTimeout(r, 50));
      if (object === SObjects.Activity) seenAtJobEnd.push(pagesRead.length);
      return result;
    };
    try {
      const summary = await backfill(bulkJob, { tuning: { pageSize: 8 } });
      expect(summary.status).toBe('Succeeded');
    } finally {
      spy.mockRestore();
    }
    // 8 rows a page and a file: the first file is complete once the second page is read. While its job
    // runs, the push reads on (the third page); waiting for each job before reading on, it had read 2.
    expect(seenAtJobEnd.length).toBe(4);
    expect(seenAtJobEnd[0]).toBeGreaterThanOrEqual(3);
  });

  it('uploads the next job while one runs in the hook, and hands it to Salesforce only inside the hook', async () => {
    await seed(h.store, { members: 6, activities: 30 });
    const uploadedAhead: number[] = [];
    const bulkJob: BulkJobHook = async (object, run) => {
      // Nothing is Salesforce's to work on when a job enters the hook: the one waiting is still Open.
      const busy = (await h.store.ledger.unfinishedJobs()).filter((j) => j.state !== 'Open' && j.finishedAt === null);
      expect(busy).toEqual([]);
      const result = await run();
      // Give the push a moment to spool and upload the next file while this job holds the lock.
      await new Promise((r) => setTimeout(r, 50));
      if (object === SObjects.Activity)
        uploadedAhead.push((await h.store.ledger.unfinishedJobs()).filter((j) => j.state === 'Open').length);
      return result;
    };
    const summary = await backfill(bulkJob);
    expect(summary.status).toBe('Succeeded');
    expect(summary.objects.activity.succeeded).toBe(30);
    // 4 activity jobs: while each of the first 3 ran, the next was already uploaded (it waited, Open);
    // uploading only once the lock was free, none was.
    expect(uploadedAhead).toEqual([1, 1, 1, 0]);
  });

  it('aborts an uploaded job that a stop catches before it is handed to Salesforce', async () => {
    await seed(h.store, { members: 6, activities: 30 });
    const stop = new AbortController();
    let activityJobs = 0;
    const bulkJob: BulkJobHook = async (object, run) => {
      const result = await run();
      if (object === SObjects.Activity && ++activityJobs === 1) {
        await new Promise((r) => setTimeout(r, 50)); // the next job is uploaded meanwhile
        stop.abort();
      }
      return result;
    };
    const summary = await backfill(bulkJob, { signal: stop.signal });
    expect(summary.status).toBe('Stopped');
    const jobs = (await h.store.ledger.jobsOfRun(summary.runId)).filter((j) => j.object === 'activity');
    // The first job ran; the second, uploaded while it ran, was aborted instead of handed over; no third.
    expect(jobs.map((j) => j.state)).toEqual(['JobComplete', 'Aborted']);
    expect(jobs[1].uploadedAt).toBeNull();
    expect(jobs[1].errorMessage).toMatch(/sent again/);
    const session = h.connection();
    const res = await fetch(`${session.instanceUrl}/services/data/v65.0/jobs/ingest/${jobs[1].sfJobId}`, {
      headers: { Authorization: `Bearer ${session.accessToken}` },
    });
    expect(((await res.json()) as { state: string }).state).toBe('Aborted');
    expect(await h.store.ledger.unfinishedJobs()).toEqual([]);
    // The next run sends those rows: the backfill completes.
    const next = await backfill(async (_o, run) => run());
    expect(next.status).toBe('Succeeded');
  });

  it('sends row-lock failures again in follow-up jobs that take the hook themselves, never inside another job', async () => {
    await seed(h.store, { members: 6, activities: 30 });
    // A real lock per object: a job that took it while another held it (or took it twice) would wait for ever.
    const tails = new Map<string, Promise<void>>();
    const held = new Map<string, number>();
    let most = 0;
    let calls = 0;
    const bulkJob: BulkJobHook = async (object, run) => {
      const before = tails.get(object) ?? Promise.resolve();
      let release: () => void = () => undefined;
      tails.set(object, new Promise<void>((r) => (release = r)));
      await before;
      calls++;
      held.set(object, (held.get(object) ?? 0) + 1);
      most = Math.max(most, held.get(object) ?? 0);
      try {
        return await run();
      } finally {
        held.set(object, (held.get(object) ?? 1) - 1);
        release();
      }
    };
    h.emu.setFaults({ lockRowRate: 0.3 });
    try {
      // Enough follow-ups that every row gets through (which rows fail depends on the job ids so far).
      const summary = await backfill(bulkJob, { tuning: { lockRetries: 10 } });
      expect(summary.status).toBe('Succeeded');
      expect(summary.objects.activity).toMatchObject({ succeeded: 30, failed: 0 });
      const jobs = await h.store.ledger.jobsOfRun(summary.runId);
      expect(jobs.some((j) => j.purpose === 'lock-retry')).toBe(true);
      // Each regular job took the hook once, and the follow-ups of each job once more.
      expect(calls).toBeGreaterThan(jobs.filter((j) => j.purpose !== 'lock-retry').length);
      expect(most).toBe(1);
      expect(jobs.every((j) => j.resultsAt !== null)).toBe(true);
    } finally {
      h.emu.setFaults({ lockRowRate: 0 });
    }
  });
});
