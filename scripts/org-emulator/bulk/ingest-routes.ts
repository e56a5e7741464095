import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { ApiContext } from '../context';
import { ApiError, notFound } from '../http/errors';
import { readJson, Reply } from '../http/io';
import { RouteRequest } from '../http/router';
import { ColumnDelimiter, DELIMITERS, LineEnding } from './csv-format';
import { IngestJob, IngestOperation, jobInfo, jobSummary } from './ingest-job';
import { processIngestJob } from './processor';

/**
 * Bulk API 2.0 ingest endpoints ("Bulk API 2.0 Ingest" reference): create, upload, close/abort,
 * job info, results, delete, list. Job and state errors use Bulk API 2.0's error codes
 * (INVALIDJOB, INVALIDJOBSTATE; "Bulk API 2.0 Errors").
 */

/** Upload cap: "A request can provide CSV data that does not in total exceed 150 MB" (Upload Job Data). */
export const MAX_UPLOAD_BYTES = 150 * 1024 * 1024;
const OPERATIONS: IngestOperation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];

const invalidJob = (message: string): ApiError => new ApiError(400, 'INVALIDJOB', message);
const invalidState = (message: string): ApiError => new ApiError(409, 'INVALIDJOBSTATE', message);

function jobFor(r: RouteRequest<ApiContext>): IngestJob {
  const job = r.ctx.emu.ingestJobs.get(r.params[1]);
  if (!job || (job.createdById !== r.ctx.user.id && !r.ctx.access.modifyAllData)) throw notFound();
  return job;
}

/** POST /jobs/ingest. */
export async function createJob(r: RouteRequest<ApiContext>): Promise<Reply> {
  const body = ((await readJson(r.req)) ?? {}) as Record<string, string | undefined>;
  const { org } = r.ctx.emu;
  const operation = body.operation as IngestOperation;
  if (!OPERATIONS.includes(operation)) throw invalidJob(`InvalidJob : Invalid operation: ${String(body.operation)}`);
  const objectName = body.object ?? '';
  const obj = org.object(objectName);
  if (!obj || !r.ctx.access.object(obj).read || obj.setup)
    throw new ApiError(404, 'NOT_FOUND', `sObject type '${objectName}' is not supported.`);
  if (operation === 'hardDelete' && !r.ctx.access.modifyAllData) {
    throw new ApiError(400, 'FEATURENOTENABLED', 'hardDelete requires the Bulk API Hard Delete permission');
  }
  let externalIdFieldName: string | undefined;
  if (operation === 'upsert') {
    const f = body.externalIdFieldName ? obj.byName.get(body.externalIdFieldName.toLowerCase()) : undefined;
    if (!body.externalIdFieldName) throw invalidJob('InvalidJob : External ID was blank for upsert');
    if (!f || !f.idLookup || !r.ctx.access.fieldReadable(obj, f)) {
      throw invalidJob(`InvalidJob : The field ${body.externalIdFieldName} is not an External ID field on ${obj.name}`);
    }
    externalIdFieldName = f.name;
  }
  const lineEnding = body.lineEnding ?? 'LF';
  const columnDelimiter = (body.columnDelimiter ?? 'COMMA') as ColumnDelimiter;
  if (lineEnding !== 'LF' && lineEnding !== 'CRLF') throw invalidJob(`InvalidJob : Invalid lineEnding: ${lineEnding}`);
  const jobLineEnding: LineEnding = lineEnding;
  if (!(columnDelimiter in DELIMITERS)) throw invalidJob(`InvalidJob : Invalid columnDelimiter: ${columnDelimiter}`);
  if ((body.contentType ?? 'CSV') !== 'CSV')
    throw invalidJob(`InvalidJob : Invalid contentType: ${String(body.contentType)}`);
  const jobs = r.ctx.emu.ingestJobs;
  const id = jobs.nextId();
  const version = r.params[0];
  const now = org.now();
  const job: IngestJob = {
    id,
    operation,
    object: obj.name,
    createdById: r.ctx.user.id,
    createdDate: now,
    systemModstamp: now,
    state: 'Open',
    externalIdFieldName,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(version),
    jobType: 'V2Ingest',
    contentUrl: `services/data/v${version}/jobs/ingest/${id}/batches`,
    lineEnding: jobLineEnding,
    columnDelimiter,
    numberRecordsProcessed: 0,
    numberRecordsFailed: 0,
    retries: 0,
    totalProcessingTime: 0,
    apiActiveProcessingTime: 0,
    apexProcessingTime: 0,
    assignmentRuleId: body.assignmentRuleId,
    uploadedBytes: 0,
    resultFiles: jobs.filesFor(id),
  };
  jobs.add(job);
  return { status: 200, body: jobSummary(job) };
}

/** PUT /jobs/ingest/{id}/batches: streamed to disk, capped at 150 MB. */
export async function uploadData(r: RouteRequest<ApiContext>): Promise<Reply> {
  const job = jobFor(r);
  if (job.state !== 'Open') throw invalidState(`Job ${job.id} is not in state Open: ${job.state}`);
  if (job.dataFile) {
    throw invalidJob(
      `Found multiple contents for job: <${job.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure you only do 'PUT' once on a given Job.`,
    );
  }
  const file = join(r.ctx.emu.ingestJobs.dir, `${job.id}-data.csv`);
  let bytes = 0;
  const max = r.ctx.emu.ingestJobs.maxUploadBytes;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > max)
        cb(new ApiError(413, 'CLIENTINPUTERROR', `ClientInputError : Data upload exceeds the ${max} byte limit`));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(r.req, counter, createWriteStream(file));
  } catch (e) {
    r.req.resume();
    throw e instanceof ApiError
      ? e
      : new ApiError(400, 'CLIENTINPUTERROR', `ClientInputError : ${(e as Error).message}`);
  }
  job.dataFile = file;
  job.uploadedBytes = bytes;
  return { status: 201 };
}

/** PATCH /jobs/ingest/{id}: `{"state":"UploadComplete"}` starts processing, `{"state":"Aborted"}` stops it. */
export async function changeState(r: RouteRequest<ApiContext>): Promise<Reply> {
  const job = jobFor(r);
  const body = ((await readJson(r.req)) ?? {}) as { state?: string };
  if (body.state === 'UploadComplete') {
    if (job.state !== 'Open') throw invalidState(`Job ${job.id} is not in state Open: ${job.state}`);
    job.state = 'UploadComplete';
    r.ctx.emu.ingestJobs.track(processIngestJob(r.ctx.emu.org, job));
  } else if (body.state === 'Aborted') {
    if (!['Open', 'UploadComplete', 'InProgress'].includes(job.state))
      throw invalidState(`Job ${job.id} cannot be aborted in state ${job.state}`);
    job.state = 'Aborted';
  } else {
    throw new ApiError(400, 'INVALIDJOBSTATE', `Invalid state: ${String(body.state)}`);
  }
  job.systemModstamp = r.ctx.emu.org.now();
  return { status: 200, body: jobSummary(job) };
}

/** GET /jobs/ingest/{id}. */
export function getJob(r: RouteRequest<ApiContext>): Reply {
  return { status: 200, body: jobInfo(jobFor(r)) };
}

/** GET /jobs/ingest/{id}/successfulResults|failedResults|unprocessedrecords. */
export function getResults(kind: keyof IngestJob['resultFiles']) {
  return (r: RouteRequest<ApiContext>): Reply => {
    const job = jobFor(r);
    if (!['JobComplete', 'Failed', 'Aborted'].includes(job.state)) {
      throw invalidState(`Job ${job.id} is not complete: ${job.state}`);
    }
    const file = job.resultFiles[kind];
    return {
      status: 200,
      contentType: 'text/csv',
      body: existsSync(file) ? createReadStream(file) : '',
    };
  };
}

/** DELETE /jobs/ingest/{id}: only UploadComplete, JobComplete, Aborted or Failed jobs ("Delete a Job"). */
export function deleteJob(r: RouteRequest<ApiContext>): Reply {
  const job = jobFor(r);
  if (!['UploadComplete', 'JobComplete', 'Aborted', 'Failed'].includes(job.state)) {
    throw invalidState(`Job ${job.id} cannot be deleted in state ${job.state}`);
  }
  if (job.state === 'UploadComplete') job.state = 'Aborted';
  r.ctx.emu.ingestJobs.delete(job.id);
  return { status: 204 };
}

/** GET /jobs/ingest: every job of the user ("Get Information About All Jobs"). */
export function listJobs(r: RouteRequest<ApiContext>): Reply {
  const records = r.ctx.emu.ingestJobs
    .all()
    .filter((j) => j.createdById === r.ctx.user.id || r.ctx.access.modifyAllData)
    .map((j) => ({ ...jobSummary(j), jobType: j.jobType }));
  return { status: 200, body: { done: true, records, nextRecordsUrl: null } };
}
