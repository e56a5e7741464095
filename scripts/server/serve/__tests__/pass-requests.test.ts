import type { AsyncStore } from '../../../sync/store';
import type { ObjectKind } from '../../../sync/store/types';
import { passRequests } from '../pass-requests';

/** A store with `total` rows per object, of which those after the ledger's watermark have changed. */
function store(total: Record<ObjectKind, number>, watermark: Record<ObjectKind, number>): AsyncStore {
  return {
    ledger: { watermark: (kind: ObjectKind) => Promise.resolve(watermark[kind]) },
    countChanged: (kind: ObjectKind, after: number) => Promise.resolve(Math.max(0, total[kind] - after)),
  } as unknown as AsyncStore;
}

const large = { community: 1, member: 50_000, activity: 1_000_000 };
const none = { community: 0, member: 0, activity: 0 };

describe('passRequests (what a pass takes from its org’s API budget)', () => {
  it('takes an estimate for a large backfill: 8 calls per Bulk job of 100,000 rows, per object', async () => {
    // 1 community job, 1 member job, 10 activity jobs.
    expect(await passRequests(store(large, none), 'backfill', 50)).toBe(96);
  });

  it('counts an incremental pass from the watermarks: a small one takes the setting', async () => {
    const caughtUp = { community: 1, member: 49_990, activity: 999_000 };
    expect(await passRequests(store(large, caughtUp), 'incremental', 50)).toBe(50);
    // An incremental pass of a tenant that never backfilled counts everything, as its push sends everything.
    expect(await passRequests(store(large, none), 'incremental', 50)).toBe(96);
  });

  it('keeps the setting for a retry or a re-match, and 0 (take nothing) stays 0', async () => {
    expect(await passRequests(store(large, none), 'retry', 50)).toBe(50);
    expect(await passRequests(store(large, none), 'rematch', 50)).toBe(50);
    expect(await passRequests(store(large, none), 'backfill', 0)).toBe(0);
    // A setting above the estimate wins.
    expect(await passRequests(store(large, none), 'backfill', 500)).toBe(500);
  });
});
