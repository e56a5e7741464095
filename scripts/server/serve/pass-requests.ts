import { OBJECT_KINDS } from '../../sync/ledger';
import { SERIAL_JOB_ROWS } from '../../sync/push';
import type { AsyncStore } from '../../sync/store';
import type { RunRequest } from '../queue/runs';

/** API calls one Bulk job of a pass costs: create, upload, close, about three polls, two result files. */
const CALLS_PER_JOB = 8;

/**
 * The API requests a pass takes from its org's budget before it starts. `base` is the installation's
 * setting (TIGHTKNIT_API_PASS_REQUESTS, about what a small pass spends); a backfill or an incremental
 * pass with more changes waiting than that covers takes an estimate instead: CALLS_PER_JOB per Bulk job
 * of SERIAL_JOB_ROWS rows, per object (a 1,000,000-activity backfill with 50,000 members: 96). A setting
 * of 0 takes nothing (the pass only waits while the budget is spent). What a pass really spent is counted
 * when the budget reads /limits again; the estimate keeps a large backfill from starting on a budget
 * sized for a small pass.
 */
export async function passRequests(store: AsyncStore, type: RunRequest['type'], base: number): Promise<number> {
  if (base === 0 || (type !== 'backfill' && type !== 'incremental')) return base;
  let jobs = 0;
  for (const kind of OBJECT_KINDS) {
    const after = type === 'backfill' ? 0 : await store.ledger.watermark(kind);
    jobs += Math.ceil((await store.countChanged(kind, after)) / SERIAL_JOB_ROWS);
  }
  return Math.max(base, jobs * CALLS_PER_JOB);
}
