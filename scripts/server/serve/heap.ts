import { setFlagsFromString } from 'node:v8';
import { UsageError } from '../../sync/errors';

/** The setting that chooses how a `serve` or `worker` process's JavaScript heap trades memory for speed. */
const WORKER_MEMORY_ENV = 'TIGHTKNIT_WORKER_MEMORY';

export type WorkerMemory = 'small' | 'default';

/**
 * Puts V8 in its memory-saving mode (`--optimize-for-size`) for a process that runs passes, unless
 * TIGHTKNIT_WORKER_MEMORY=default. A pass's pages, CSV and Bulk results are short-lived garbage; with
 * V8's defaults the heap grew far past what was live before it was collected (a worker backfilling
 * 100,000 activities peaked at 325–339 MB of RSS, 138–160 MB with this mode, in bench:tenants), at the
 * cost of more collections: that backfill took 1.3–1.8× the embedded push's time instead of 0.8–1.3×.
 * A worker over its memory limit is killed; a slower backfill only ends later. Set before the first
 * pass; returns the mode.
 */
export function useWorkerMemory(env: NodeJS.ProcessEnv = process.env): WorkerMemory {
  const raw = env[WORKER_MEMORY_ENV]?.trim() || 'small';
  if (raw !== 'small' && raw !== 'default') {
    throw new UsageError(
      'WORKER_MEMORY_INVALID',
      `${WORKER_MEMORY_ENV} must be 'small' (the default: V8's memory-saving mode) or 'default' (V8's defaults: faster, more memory), not '${raw}'.`,
    );
  }
  if (raw === 'small') setFlagsFromString('--optimize-for-size');
  return raw;
}
