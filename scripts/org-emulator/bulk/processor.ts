import { createReadStream, createWriteStream, WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { parse } from 'csv-parse';
import { EmulatedOrg } from '../org';
import { Dml } from '../store/dml';
import { formatSfError } from '../store/row-error';
import { compileHeader } from './columns';
import { csvLine, DELIMITERS, LINE_ENDINGS } from './csv-format';
import { IngestJob } from './ingest-job';
import { RowApplier } from './row-applier';

/**
 * Processes an ingest job after UploadComplete, asynchronously: the job moves to InProgress, the
 * uploaded CSV is parsed as a stream, rows are applied in chunks of 200 (the size of Salesforce's
 * internal DML chunks) with a yield to the event loop between chunks so the server stays responsive,
 * and results are appended to files. Ends in JobComplete, Failed (job-level error) or Aborted.
 */

const CHUNK = 200;
/** Rows between yields to the event loop (about 10-20 ms of work). */
const YIELD_EVERY = 2000;

function writeAll(stream: WriteStream, text: string): Promise<void> {
  return stream.write(text) ? Promise.resolve() : new Promise((resolve) => stream.once('drain', () => resolve()));
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** The line ending the data actually uses, from its first line break. */
async function detectLineEnding(file: string): Promise<'LF' | 'CRLF' | undefined> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('latin1');
    const i = text.indexOf('\n');
    if (i < 0) return undefined;
    return i > 0 && text[i - 1] === '\r' ? 'CRLF' : 'LF';
  } finally {
    await fh.close();
  }
}

function finish(job: IngestJob, started: number, state: IngestJob['state'], errorMessage?: string): void {
  job.state = state;
  if (errorMessage) job.errorMessage = errorMessage;
  job.totalProcessingTime = Date.now() - started;
  job.apiActiveProcessingTime = job.totalProcessingTime;
  job.systemModstamp = new Date().toISOString().replace('Z', '+0000');
}

/** Runs a job to a terminal state. Never throws: unexpected errors fail the job. */
export async function processIngestJob(org: EmulatedOrg, job: IngestJob): Promise<void> {
  const started = Date.now();
  const delim = DELIMITERS[job.columnDelimiter];
  const eol = LINE_ENDINGS[job.lineEnding];
  const success = createWriteStream(job.resultFiles.success);
  const failed = createWriteStream(job.resultFiles.failed);
  const unprocessed = createWriteStream(job.resultFiles.unprocessed);
  try {
    await yieldToLoop();
    if (job.state !== 'UploadComplete') return;
    job.state = 'InProgress';
    await yieldToLoop();
    if (org.faults.failNextJobs > 0) {
      org.faults.failNextJobs--;
      await copyUnprocessed(job, unprocessed, delim, eol);
      finish(
        job,
        started,
        'Failed',
        'InternalServerError : Job failed after the maximum number of retries. Retry the job with the unprocessed records.',
      );
      return;
    }
    if (!job.dataFile) {
      finish(job, started, 'JobComplete');
      return;
    }
    const ending = await detectLineEnding(job.dataFile);
    if (ending && ending !== job.lineEnding) {
      await copyUnprocessed(job, unprocessed, delim, eol);
      finish(
        job,
        started,
        'Failed',
        `ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${job.lineEnding}`,
      );
      return;
    }
    await applyRows(org, job, { success, failed, unprocessed }, delim, eol, started);
  } catch (e) {
    finish(job, started, 'Failed', `InternalServerError : ${(e as Error).message}`);
  } finally {
    await Promise.all([closeStream(success), closeStream(failed), closeStream(unprocessed)]);
  }
}

function parser(job: IngestJob) {
  return createReadStream(job.dataFile as string).pipe(
    parse({ delimiter: DELIMITERS[job.columnDelimiter], bom: true, relax_column_count: true, skip_empty_lines: true }),
  ) as AsyncIterable<string[]>;
}

/** Writes the original rows (header and data) to unprocessedrecords. */
async function copyUnprocessed(job: IngestJob, out: WriteStream, delim: string, eol: string): Promise<void> {
  if (!job.dataFile) return;
  for await (const cells of parser(job)) await writeAll(out, csvLine(cells, delim, eol));
}

async function applyRows(
  org: EmulatedOrg,
  job: IngestJob,
  out: { success: WriteStream; failed: WriteStream; unprocessed: WriteStream },
  delim: string,
  eol: string,
  started: number,
): Promise<void> {
  const user = org.userById(job.createdById);
  const obj = org.object(job.object);
  if (!user || !obj) throw new Error(`object ${job.object} is no longer available`);
  const dml = new Dml(org, user);
  let applier: RowApplier | undefined;
  let header: string[] = [];
  let chunk: string[][] = [];
  let rowNumber = 0;
  let stopped = false;
  const flush = async (): Promise<void> => {
    if (!applier) return;
    const only = org.faults.lockRowObjects;
    const lockRate = !only || only.includes(job.object) ? org.faults.lockRowRate : 0;
    dml.now = org.now();
    const dups = applier.duplicateKeys(chunk);
    let ok = '';
    let bad = '';
    for (const cells of chunk) {
      rowNumber++;
      const res = applier.apply(cells, rowNumber, dups, lockRate);
      job.numberRecordsProcessed++;
      if (res.ok) ok += csvLine([res.id, String(res.created), ...cells], delim, eol);
      else {
        job.numberRecordsFailed++;
        bad += csvLine([res.id ?? '', formatSfError(res.error), ...cells], delim, eol);
      }
    }
    chunk = [];
    if (ok) await writeAll(out.success, ok);
    if (bad) await writeAll(out.failed, bad);
    if (rowNumber % YIELD_EVERY === 0) await yieldToLoop();
  };
  for await (const cells of parser(job)) {
    if (stopped) {
      await writeAll(out.unprocessed, csvLine(cells, delim, eol));
      continue;
    }
    if (!applier) {
      header = cells;
      const keyName = job.operation === 'upsert' ? job.externalIdFieldName : 'Id';
      const plan = compileHeader(org, obj, dml.access, header, keyName);
      if (!plan.ok) {
        await copyUnprocessed(job, out.unprocessed, delim, eol);
        finish(job, started, 'Failed', plan.errorMessage);
        return;
      }
      const keyField = keyName ? obj.byName.get(keyName.toLowerCase()) : undefined;
      applier = new RowApplier(org, obj, dml, job.operation, plan.columns, plan.keyIndex, keyField, job.id);
      await writeAll(out.success, csvLine(['sf__Id', 'sf__Created', ...header], delim, eol));
      await writeAll(out.failed, csvLine(['sf__Id', 'sf__Error', ...header], delim, eol));
      await writeAll(out.unprocessed, csvLine(header, delim, eol));
      continue;
    }
    chunk.push(cells);
    if (chunk.length >= CHUNK) {
      await flush();
      if ((job.state as string) === 'Aborted') stopped = true;
    }
  }
  if (!stopped) await flush();
  if ((job.state as string) === 'Aborted') finish(job, started, 'Aborted');
  else finish(job, started, 'JobComplete');
}
