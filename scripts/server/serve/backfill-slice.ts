import { UsageError } from '../../sync/errors';

const BACKFILL_SLICE_ENV = 'TIGHTKNIT_BACKFILL_SLICE_SECONDS';
/** A large backfill's time slice by default: long enough for a few Bulk jobs, short for the tenants waiting. */
const DEFAULT_SLICE_SECONDS = 120;

/**
 * The time slice of a large backfill's pass, in seconds: TIGHTKNIT_BACKFILL_SLICE_SECONDS, else 120.
 * 0 stops each pass after its first Bulk job or object (tests).
 */
export function sliceSecondsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[BACKFILL_SLICE_ENV]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_SLICE_SECONDS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    throw new UsageError(
      'BACKFILL_SLICE_INVALID',
      `${BACKFILL_SLICE_ENV} must be a number of seconds, 0 or more (got '${raw}'). Set it like ${BACKFILL_SLICE_ENV}=120, or unset it for 2 minutes.`,
    );
  }
  return n;
}
