import { ApiContext } from '../context';
import { ApiError, notFound } from '../http/errors';
import { Reply } from '../http/io';
import { RouteRequest } from '../http/router';
import { QueryScope, SoqlExecutor } from '../soql/execute';
import { SRecord } from '../store/record-store';
import { queryColumns } from './query-columns';
import { batchSize } from './query-cursors';

/**
 * GET /query?q=, /queryAll?q= and /tooling/query?q=, with `nextRecordsUrl` paging
 * (REST API Developer Guide, "Execute a SOQL Query" and "Retrieve the Remaining SOQL Query Results").
 * QueryAll also returns records deleted by a delete or a merge ("Execute a SOQL Query that Includes
 * Deleted Items"); its `nextRecordsUrl` still says `/query/`, as Salesforce's does.
 */

function page(
  r: RouteRequest<ApiContext>,
  base: string,
  records: SRecord[],
  totalSize: number,
  offset: number,
  cursor?: string,
): Reply {
  const size = batchSize(r.req.headers['sforce-query-options']);
  const slice = records.slice(offset, offset + size);
  const done = offset + size >= records.length;
  let next: string | undefined;
  if (!done) {
    const id = cursor ?? r.ctx.emu.cursors.create(records, r.ctx.user.id);
    next = `${base}/${id}-${offset + size}`;
  } else if (cursor) r.ctx.emu.cursors.close(cursor);
  return { status: 200, body: { totalSize, done, ...(next ? { nextRecordsUrl: next } : {}), records: slice } };
}

/** Runs a query from `?q=`. */
export function queryRoute(tooling: boolean, scope: QueryScope = 'query') {
  return (r: RouteRequest<ApiContext>): Reply => {
    const q = r.url.searchParams.get('q');
    if (!q) throw new ApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    const version = r.params[0];
    const base = `/services/data/v${version}/${tooling ? 'tooling/' : ''}query`;
    const executor = new SoqlExecutor(r.ctx.emu.org, r.ctx.access, tooling);
    if (r.url.searchParams.get('columns') === 'true')
      return { status: 200, body: queryColumns(executor.compile(q), r.ctx.access) };
    const outcome = executor.run(q, scope);
    return page(r, base, outcome.records, outcome.totalSize, 0);
  };
}

/** GET /query/{cursor}-{offset}. */
export function queryMoreRoute(tooling: boolean) {
  return (r: RouteRequest<ApiContext>): Reply => {
    const [version, cursor, offset] = r.params;
    const records = r.ctx.emu.cursors.get(cursor, r.ctx.user.id);
    if (!records) throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    if (Number(offset) > records.length) throw notFound();
    const base = `/services/data/v${version}/${tooling ? 'tooling/' : ''}query`;
    return page(r, base, records, records.length, Number(offset), cursor);
  };
}
