import { ApiContext } from '../context';
import { ApiError, notFound } from '../http/errors';
import { readJson, Reply } from '../http/io';
import { RouteRequest } from '../http/router';
import { SoqlExecutor } from '../soql/execute';
import { ColumnDelimiter, DELIMITERS, LineEnding } from './csv-format';
import { QueryJob, queryJobInfo } from './query-jobs';

/**
 * Bulk API 2.0 query jobs: create (state UploadComplete), poll, results paged with `maxRecords` and
 * the `Sforce-Locator` header ("null" on the last page) plus `Sforce-NumberOfRecords`, abort, delete,
 * list ("Get Results for a Query Job").
 */

function jobFor(r: RouteRequest<ApiContext>): QueryJob {
  const job = r.ctx.emu.queryJobs.get(r.params[1]);
  if (!job || job.createdById !== r.ctx.user.id) throw notFound();
  return job;
}

/** POST /jobs/query. */
export async function createQueryJob(r: RouteRequest<ApiContext>): Promise<Reply> {
  const body = ((await readJson(r.req)) ?? {}) as Record<string, string | undefined>;
  const operation = body.operation ?? 'query';
  if (operation !== 'query' && operation !== 'queryAll')
    throw new ApiError(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${operation}`);
  if (!body.query) throw new ApiError(400, 'INVALIDJOB', 'InvalidJob : query is required');
  const { org } = r.ctx.emu;
  // Check names and access now, without reading records, so a bad query fails the create call as
  // Salesforce does (400 with the SOQL error: INVALID_FIELD, INVALID_TYPE, MALFORMED_QUERY).
  new SoqlExecutor(org, r.ctx.access, false).compile(body.query);
  const columnDelimiter = (body.columnDelimiter ?? 'COMMA') as ColumnDelimiter;
  if (!(columnDelimiter in DELIMITERS))
    throw new ApiError(400, 'INVALIDJOB', `InvalidJob : Invalid columnDelimiter: ${columnDelimiter}`);
  const job = r.ctx.emu.queryJobs.create(org, r.ctx.user.id, {
    operation,
    query: body.query,
    apiVersion: Number(r.params[0]),
    lineEnding: (body.lineEnding ?? 'LF') as LineEnding,
    columnDelimiter,
  });
  r.ctx.emu.ingestJobs.track(
    r.ctx.emu.queryJobs.run(org, job).catch((e: Error) => {
      job.state = 'Failed';
      job.errorMessage = e.message;
    }),
  );
  return { status: 200, body: queryJobInfo(job) };
}

/** GET /jobs/query/{id}. */
export function getQueryJob(r: RouteRequest<ApiContext>): Reply {
  return { status: 200, body: queryJobInfo(jobFor(r)) };
}

/** GET /jobs/query/{id}/results?maxRecords=&locator=. */
export function getQueryResults(r: RouteRequest<ApiContext>): Reply {
  const job = jobFor(r);
  if (job.state !== 'JobComplete')
    throw new ApiError(400, 'INVALIDJOBSTATE', `Job ${job.id} is not complete: ${job.state}`);
  const locator = r.url.searchParams.get('locator');
  const start = locator ? parseInt(Buffer.from(locator, 'base64url').toString('utf8'), 10) : 0;
  if (!Number.isInteger(start) || start < 0 || start > job.lines.length)
    throw new ApiError(400, 'INVALIDLOCATOR', 'Invalid locator');
  const max = Number(r.url.searchParams.get('maxRecords') ?? 0) || job.lines.length;
  const lines = job.lines.slice(start, start + max);
  const end = start + lines.length;
  const next = end < job.lines.length ? Buffer.from(String(end)).toString('base64url') : 'null';
  return {
    status: 200,
    contentType: 'text/csv',
    body: job.header + lines.join(''),
    headers: { 'Sforce-Locator': next, 'Sforce-NumberOfRecords': String(lines.length) },
  };
}

/** PATCH /jobs/query/{id} `{"state":"Aborted"}`. */
export async function abortQueryJob(r: RouteRequest<ApiContext>): Promise<Reply> {
  const job = jobFor(r);
  const body = ((await readJson(r.req)) ?? {}) as { state?: string };
  if (body.state !== 'Aborted') throw new ApiError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(body.state)}`);
  if (!['UploadComplete', 'InProgress'].includes(job.state))
    throw new ApiError(409, 'INVALIDJOBSTATE', `Job ${job.id} cannot be aborted in state ${job.state}`);
  job.state = 'Aborted';
  return { status: 200, body: queryJobInfo(job) };
}

/** DELETE /jobs/query/{id}. */
export function deleteQueryJob(r: RouteRequest<ApiContext>): Reply {
  const job = jobFor(r);
  if (job.state === 'InProgress')
    throw new ApiError(409, 'INVALIDJOBSTATE', `Job ${job.id} cannot be deleted in state ${job.state}`);
  r.ctx.emu.queryJobs.delete(job.id);
  return { status: 204 };
}

/** GET /jobs/query. */
export function listQueryJobs(r: RouteRequest<ApiContext>): Reply {
  const records = r.ctx.emu.queryJobs
    .all()
    .filter((j) => j.createdById === r.ctx.user.id)
    .map(queryJobInfo);
  return { status: 200, body: { done: true, records, nextRecordsUrl: null } };
}
