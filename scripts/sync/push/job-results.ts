import { errorCode } from '../ledger';
import type { JobInfo } from '../salesforce/bulk';
import type { ObjectKind } from '../store/types';
import type { RunContext } from './context';
import { ResultBatches } from './result-batches';

/** The field every upsert matches records on. */
export const EXTERNAL_ID = 'tightknit__Tightknit_Id__c';
/** The error code of a row that lost a race for its parent record's lock (sent again in a follow-up job). */
export const LOCK = 'UNABLE_TO_LOCK_ROW';

/** Streams a finished job's three result files into the ledger; returns rows to send again because of row locks. */
export async function readJobResults(
  ctx: RunContext,
  runId: number,
  ledgerJobId: number,
  kind: ObjectKind,
  operation: string,
  info: JobInfo,
  retryLocks: boolean,
): Promise<Array<Record<string, string>>> {
  const isDelete = operation === 'delete' || operation === 'hardDelete';
  const batches = new ResultBatches(ctx, runId, ledgerJobId, kind);
  const lockRows: Array<Record<string, string>> = [];
  let succeeded = 0;
  let failed = 0;
  let removed = 0;
  const handle = rowHandler(ctx, kind, isDelete);
  const read = async (): Promise<void> => {
    await ctx.bulk.readResults(
      info.id,
      'successfulResults',
      handle((ext, cells, header) => {
        succeeded++;
        if (isDelete) {
          batches.deleted.push(ext);
          removed++;
        } else batches.ok.push([ext, cells[columnsOf(header).sfId]]);
        return batches.next();
      }),
    );
    await ctx.bulk.readResults(
      info.id,
      'failedResults',
      handle((ext, cells, header) => {
        const error = cells[columnsOf(header).error] || 'UNKNOWN_ERROR:no message';
        const code = errorCode(error);
        if (isDelete && (code === 'ENTITY_IS_DELETED' || code === 'INVALID_CROSS_REFERENCE_KEY')) {
          // Already gone from the org: that is what a delete wants.
          succeeded++;
          removed++;
          batches.deleted.push(ext);
          return undefined;
        }
        failed++;
        batches.bad.push([ext, error]);
        if (code === LOCK && retryLocks && !isDelete)
          lockRows.push(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
        return batches.next();
      }),
    );
    if (info.state === 'Failed' || info.state === 'Aborted') {
      const why = info.errorMessage ?? `The job ended in state ${info.state}`;
      await ctx.bulk.readResults(
        info.id,
        'unprocessedrecords',
        handle((ext) => {
          failed++;
          batches.bad.push([ext, why]);
          return batches.next();
        }),
      );
    }
  };
  try {
    await read();
  } catch (err) {
    await batches.settle();
    throw err;
  }
  await batches.finish();
  await ctx.ledger.addCounts(runId, kind, {
    processed: succeeded + failed,
    succeeded: isDelete ? 0 : succeeded,
    failed,
    deleted: removed,
  });
  ctx.report({
    object: kind,
    phase: 'results',
    processed: succeeded + failed,
    total: succeeded + failed,
    jobId: info.id,
  });
  return lockRows;
}

type Columns = { ext: number; id: number; sfId: number; error: number };
/** Column positions, looked up once per result file (the header array is the same for every row). */
const columnCache = new WeakMap<string[], Columns>();
function columnsOf(header: string[]): Columns {
  let c = columnCache.get(header);
  if (!c) {
    c = {
      ext: header.indexOf(EXTERNAL_ID),
      id: header.indexOf('Id'),
      sfId: header.indexOf('sf__Id'),
      error: header.indexOf('sf__Error'),
    };
    columnCache.set(header, c);
  }
  return c;
}

type ResultRow = (ext: string, cells: string[], header: string[]) => Promise<void> | undefined;

/**
 * Hands each result row on with its external id. Upsert results (the many) carry it and go on without a
 * wait; a delete's results name records by Salesforce id only, looked up where noteDeletes wrote them.
 */
function rowHandler(ctx: RunContext, kind: ObjectKind, isDelete: boolean) {
  const externalIdOf = async (cells: string[], header: string[]): Promise<string> => {
    const c = columnsOf(header);
    const sfId = (c.id >= 0 ? cells[c.id] : '') || (c.sfId >= 0 ? cells[c.sfId] : '') || '';
    return (await ctx.ledger.externalIdBySfId(kind, sfId)) ?? sfId;
  };
  return (onRow: ResultRow) =>
    (cells: string[], header: string[]): Promise<void> | undefined =>
      isDelete
        ? externalIdOf(cells, header).then((ext) => onRow(ext, cells, header))
        : onRow(cells[columnsOf(header).ext] ?? '', cells, header);
}
