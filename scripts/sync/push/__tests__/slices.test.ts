import { SObjects } from '../../../generated/sobjects';
import type { BulkJobHook, RunSummary } from '..';
import { DEFAULT_ENGAGEMENT } from '../../engagement';
import {
  activity,
  addActivities,
  byExternalId,
  harness,
  NOW,
  seed,
  smallJobBackfill,
  type Harness,
} from './helpers/fixture';

/**
 * Activity rows the Bulk jobs of these runs handed to Salesforce, all runs together (a job a stop caught
 * before its upload was complete was aborted unprocessed: its rows are sent again, not twice).
 */
async function activityRowsUploaded(h: Harness, runs: RunSummary[]): Promise<number> {
  let rows = 0;
  for (const run of runs) {
    const jobs = await h.store.ledger.jobsOfRun(run.runId);
    rows += jobs
      .filter((j) => j.object === 'activity' && j.path === 'bulk' && j.operation === 'upsert' && j.uploadedAt !== null)
      .reduce((n, j) => n + j.records, 0);
  }
  return rows;
}

describe('a backfill cut into time slices', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
    await seed(h.store, { members: 6, activities: 30 });
  });
  afterEach(() => h.close());

  /** Jobs of 8 rows, pages of 8 rows: a slice that is over stops after the first job it sends. */
  const slicedBackfill = (bulkJob?: BulkJobHook, sliceUntil = 0): Promise<RunSummary> =>
    smallJobBackfill(h, { bulkJob, sliceUntil, tuning: { pageSize: 8 } });

  it('stops after a Bulk job once its slice is over, and the next runs continue it: every record once', async () => {
    const jobs: string[] = [];
    const hook: BulkJobHook = async (object, run) => {
      jobs.push(object);
      return run();
    };
    const runs: RunSummary[] = [];
    // The slice is over from the start: each run moves on by one object or one Bulk job, then stops.
    for (let i = 0; i < 10; i++) {
      const run = await slicedBackfill(hook);
      runs.push(run);
      if (run.status !== 'Stopped') break;
      expect(run.workLeft).toBe(true);
      expect(run.message).toMatch(/time slice ended with records left/);
    }
    const last = runs[runs.length - 1];
    expect(last.status).toBe('Succeeded');
    expect(last.workLeft).toBeUndefined();
    // Community; members; activities 1–8, 9–16, 17–24, 25–30 (the last with the object's end).
    expect(runs).toHaveLength(6);
    expect(jobs).toEqual([SObjects.Community, SObjects.Member, ...Array<string>(4).fill(SObjects.Activity)]);
    const activities = h.emu.org.records(SObjects.Activity);
    expect(activities).toHaveLength(30);
    expect(byExternalId(activities).size).toBe(30);
    // Nothing uploaded twice: 30 activity rows went up, over all the slices.
    expect(await activityRowsUploaded(h, runs)).toBe(30);
    expect(runs.reduce((n, r) => n + r.objects.activity.succeeded, 0)).toBe(30);
    // Each continuation names the run it continues, in its message and its events.
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i].message).toMatch(new RegExp(`^Continues backfill run ${runs[i - 1].runId}\\.`));
      const events = await h.store.ledger.eventsOfRun(runs[i].runId);
      expect(events.map((e) => e.message)).toContain(
        `Continues backfill run ${runs[i - 1].runId} from where it stopped.`,
      );
    }
    // A backfill after the finished one starts from the first record again.
    const again = await slicedBackfill(hook, Date.now() + 60_000);
    expect(again.status).toBe('Succeeded');
    expect(again.message ?? '').not.toMatch(/Continues/);
    expect(again.objects.activity.succeeded).toBe(30);
  });

  it('takes the records that changed between two slices and skips none', async () => {
    const first = await slicedBackfill(); // communities
    const second = await slicedBackfill(); // members
    const third = await slicedBackfill(); // activities 1–8
    expect([first.status, second.status, third.status]).toEqual(['Stopped', 'Stopped', 'Stopped']);
    expect(h.emu.org.records(SObjects.Activity)).toHaveLength(8);
    await addActivities(h.store, 31, 5, 6);
    const rest = await slicedBackfill(undefined, Date.now() + 60_000);
    expect(rest.status).toBe('Succeeded');
    expect(rest.objects.activity.succeeded).toBe(27);
    const activities = h.emu.org.records(SObjects.Activity);
    expect(byExternalId(activities).size).toBe(35);
    expect(activities).toHaveLength(35);
    expect(await activityRowsUploaded(h, [first, second, third, rest])).toBe(35);
  });

  it('continues a sliced backfill that a stop signal ended between two jobs, from what its jobs sent', async () => {
    const stop = new AbortController();
    let activityJobs = 0;
    const hook: BulkJobHook = async (object, run) => {
      const result = await run();
      if (object === SObjects.Activity && ++activityJobs === 2) stop.abort();
      return result;
    };
    const stopped = await smallJobBackfill(h, {
      bulkJob: hook,
      signal: stop.signal,
      sliceUntil: Date.now() + 60_000,
      tuning: { pageSize: 8 },
    });
    expect(stopped.status).toBe('Stopped');
    expect(stopped.workLeft).toBeUndefined();
    expect(h.emu.org.records(SObjects.Activity)).toHaveLength(16);
    const rest = await slicedBackfill(undefined, Date.now() + 60_000);
    expect(rest.status).toBe('Succeeded');
    expect(rest.message).toMatch(`Continues backfill run ${stopped.runId}.`);
    expect(rest.objects.activity.succeeded).toBe(14);
    expect(byExternalId(h.emu.org.records(SObjects.Activity)).size).toBe(30);
    expect(await activityRowsUploaded(h, [stopped, rest])).toBe(30);
  });

  it('sends the deletes a slice read with its jobs, and no row twice, when backfilling an org again', async () => {
    expect((await slicedBackfill(undefined, Date.now() + 60_000)).status).toBe('Succeeded');
    const w = await h.store.beginWrite();
    await w.deleteActivity(activity(3, 3).tightknitId);
    await w.commit(NOW, DEFAULT_ENGAGEMENT);
    await addActivities(h.store, 31, 10, 6); // after the delete in the sequence
    const runs: RunSummary[] = [];
    for (let i = 0; i < 12; i++) {
      const run = await slicedBackfill();
      runs.push(run);
      if (run.status !== 'Stopped') break;
    }
    expect(runs[runs.length - 1].status).toBe('Succeeded');
    expect(runs.reduce((n, r) => n + r.objects.activity.deleted, 0)).toBe(1);
    const left = byExternalId(h.emu.org.records(SObjects.Activity));
    expect(left.size).toBe(39);
    expect(left.has(activity(3, 3).tightknitId)).toBe(false);
    expect(await activityRowsUploaded(h, runs)).toBe(39);
  });

  it('without a slice, a backfill goes to the end in one run', async () => {
    const run = await smallJobBackfill(h, { tuning: { pageSize: 8 } });
    expect(run.status).toBe('Succeeded');
    expect(run.objects.activity.succeeded).toBe(30);
    expect((await h.store.ledger.eventsOfRun(run.runId)).map((e) => e.type)).not.toContain('backfill-sliced');
  });
});
