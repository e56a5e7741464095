import { OBJECT_KINDS, type RunRecord } from '../ledger';
import type { ObjectKind } from '../store/types';
import type { RunContext } from './context';
import { coveredSeq } from './resume';

/** The event that marks a backfill run cut into time slices; its code tells a first slice from a continuation. */
const SLICED_EVENT = 'backfill-sliced';
const FIRST_SLICE = 'FIRST_SLICE';
const NEXT_SLICE = 'NEXT_SLICE';
/** How many runs back the slices of one backfill are looked for; a longer chain starts over (safe, slower). */
const CHAIN_RUNS = 1_000;

/** Where a sliced backfill run starts: the run it continues (none: the first record) and each object's cursor. */
export interface SliceStart {
  continues: number | undefined;
  /** The last change of each object that earlier slices sent and read the results of (0: none). */
  cursor: Record<ObjectKind, number>;
}

/**
 * The earlier slices of the backfill this run continues, newest first: the runs before it while they are
 * sliced backfills that did not finish, back to a first slice. Empty when the last backfill finished, was
 * not sliced, or its first slice is out of reach: the backfill then starts from the first record.
 */
async function earlierSlices(ctx: RunContext): Promise<RunRecord[]> {
  const runs = await ctx.ledger.runs(CHAIN_RUNS);
  const chain: RunRecord[] = [];
  for (const run of runs) {
    if (run.type !== 'backfill' || run.id === ctx.runId) continue;
    if (run.status === 'Succeeded' || run.status === 'PartiallyFailed') break;
    const mark = (await ctx.ledger.eventsOfRun(run.id)).find((e) => e.type === SLICED_EVENT);
    if (!mark) break;
    chain.push(run);
    if (mark.code === FIRST_SLICE) return chain;
  }
  return [];
}

/**
 * Starts a backfill run cut into time slices. Each object's cursor is what the ledger's own record of the
 * earlier slices' Bulk jobs shows as uploaded and read, in order of range (as a resumed run's watermark;
 * jobs an interrupted slice left running are read by resumeUnfinished first). So a slice that ended, a
 * drained worker or a crashed one all continue where their jobs got to: nothing skipped, and nothing
 * uploaded twice but the rows of an upload a crash cut short. Records the link to the run it continues in
 * this run's events (and message) and returns where to start.
 */
export async function startSlice(ctx: RunContext): Promise<SliceStart> {
  const chain = await earlierSlices(ctx);
  const cursor: Record<ObjectKind, number> = { community: 0, member: 0, activity: 0 };
  for (const run of chain) {
    const jobs = await ctx.ledger.jobsOfRun(run.id);
    for (const kind of OBJECT_KINDS) cursor[kind] = Math.max(cursor[kind], coveredSeq(jobs, kind) ?? 0);
  }
  const continues = chain[0]?.id;
  await ctx.ledger.addEvent(
    SLICED_EVENT,
    continues === undefined
      ? 'Backfill in time slices: a slice that ends with records left is continued by the next backfill run.'
      : `Continues backfill run ${continues} from where it stopped.`,
    ctx.runId,
    continues === undefined ? FIRST_SLICE : NEXT_SLICE,
  );
  return { continues, cursor };
}
