import { SObjects } from '../../../generated/sobjects';
import { runSync, type BulkJobHook } from '..';
import { config, FAST, harness, NOW, seed, type Harness } from './helpers/fixture';

describe('the push’s bulkJob hook', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    await seed(h.store, { members: 6, activities: 30 });
  });
  afterAll(() => h.close());

  it('wraps each Bulk ingest job whole, so an object’s jobs run one at a time, and the push completes', async () => {
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
        // When run() returns, its job is read to the end: nothing is left for a later run to resume.
        leftOpen.push((await h.store.ledger.unfinishedJobs()).length);
        return result;
      } finally {
        open.set(object, (open.get(object) ?? 1) - 1);
      }
    };
    const summary = await runSync({
      store: h.store,
      connection: h.connection(),
      config: config(),
      type: 'backfill',
      now: NOW,
      tuning: { ...FAST, maxJobRows: 8 },
      bulkJob,
    });
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
});
