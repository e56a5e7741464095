import { UsageError } from '../../errors';

/** The error of a write that found another process writing the store (after the busy timeout). */
export function storeBusy(file: string, cause: unknown): UsageError {
  return new UsageError('STORE_BUSY', `The store ${file} is being written by another tightknit-sync process.`, {
    actions: ['Wait for the other ingest or sync to finish (or stop it), then run the command again.'],
    cause,
  });
}
