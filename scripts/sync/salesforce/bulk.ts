import { parse } from 'csv-parse';
import { SalesforceApiError } from './errors';
import { sleep, type SalesforceHttp } from './http';

/** Bulk API 2.0 ingest job states. */
type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['JobComplete', 'Failed', 'Aborted']);

/** The fields of Salesforce's job info the sync reads. */
export interface JobInfo {
  id: string;
  state: JobState;
  object: string;
  operation: IngestOperation;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  errorMessage?: string | null;
  totalProcessingTime?: number;
  createdDate?: string;
  systemModstamp?: string;
}

/** Poll schedule: a first wait, then longer waits up to a ceiling (see waitForJob). */
export interface PollPolicy {
  initialMs: number;
  maxMs: number;
  /** Stop waiting (not the job) after this long; the job keeps running in the org and is resumed later. */
  timeoutMs: number;
}

export const DEFAULT_POLL: PollPolicy = { initialMs: 500, maxMs: 60_000, timeoutMs: 60 * 60_000 };

/**
 * The wait after `delay` when a job gives no progress figures: half as long again, up to `maxMs`. The end
 * of a job is then noticed at most about half its duration late (doubling: a whole duration late, 1.5 s
 * for a job of 0.6 s, 3.5 s for one of 1.6 s), for one or two polls more.
 */
export function nextPollDelay(delay: number, maxMs: number): number {
  return Math.min(maxMs, Math.ceil(delay * 1.5));
}

export type ResultKind = 'successfulResults' | 'failedResults' | 'unprocessedrecords';

export type WaitOutcome =
  { kind: 'done'; info: JobInfo; polls: number } | { kind: 'stopped'; polls: number; reason: 'signal' | 'timeout' };

/**
 * Bulk API 2.0 ingest, one explicit call per step of the job lifecycle:
 * create → upload (streamed from a file) → UploadComplete → poll with backoff → results (streamed).
 * Nothing here ever deletes a job: a job we stop waiting for keeps running and is resumed by id.
 */
export class BulkIngest {
  constructor(
    private readonly http: SalesforceHttp,
    private readonly poll: PollPolicy = DEFAULT_POLL,
  ) {}

  createJob(spec: { object: string; operation: IngestOperation; externalIdFieldName?: string }): Promise<JobInfo> {
    return this.http.json<JobInfo>('POST', '/jobs/ingest', {
      body: { json: { ...spec, contentType: 'CSV', lineEnding: 'LF', columnDelimiter: 'COMMA' } },
    });
  }

  /** Streams one CSV file (≤ 100 MB) as the job's only upload. */
  async upload(jobId: string, file: string): Promise<void> {
    const res = await this.http.send('PUT', `/jobs/ingest/${jobId}/batches`, {
      body: { file, contentType: 'text/csv' },
    });
    res.resume();
    await new Promise<void>((resolve) => res.on('end', resolve).on('error', () => resolve()));
  }

  close(jobId: string): Promise<JobInfo> {
    return this.http.json<JobInfo>('PATCH', `/jobs/ingest/${jobId}`, { body: { json: { state: 'UploadComplete' } } });
  }

  abort(jobId: string): Promise<JobInfo> {
    return this.http.json<JobInfo>('PATCH', `/jobs/ingest/${jobId}`, { body: { json: { state: 'Aborted' } } });
  }

  getJob(jobId: string): Promise<JobInfo> {
    return this.http.json<JobInfo>('GET', `/jobs/ingest/${jobId}`);
  }

  /**
   * Polls until the job reaches a terminal state. The first wait is initialMs. After that the next wait
   * is the time Salesforce still needs at the rate it processed rows since the previous poll (+5 %),
   * but never more than twice the time waited so far (an early estimate can be far off) nor maxMs;
   * without progress figures the wait grows by half (nextPollDelay). A 20-second job is polled about
   * five times, a 4-minute one about eight, and the end of a job is noticed within a few percent of its
   * duration.
   * An abort signal or the timeout ends the wait, never the job.
   */
  async waitForJob(
    jobId: string,
    options: { signal?: AbortSignal; onPoll?: (info: JobInfo) => void; expectedRecords?: number } = {},
  ): Promise<WaitOutcome> {
    const started = Date.now();
    const deadline = started + this.poll.timeoutMs;
    let delay = this.poll.initialMs;
    let polls = 0;
    let previous = { at: started, done: 0 };
    for (;;) {
      if (options.signal?.aborted) return { kind: 'stopped', polls, reason: 'signal' };
      if (Date.now() >= deadline) return { kind: 'stopped', polls, reason: 'timeout' };
      await abortableSleep(delay, options.signal);
      if (options.signal?.aborted) return { kind: 'stopped', polls, reason: 'signal' };
      const info = await this.getJob(jobId);
      polls++;
      options.onPoll?.(info);
      if (TERMINAL_STATES.has(info.state)) return { kind: 'done', info, polls };
      const now = Date.now();
      const done = info.numberRecordsProcessed ?? 0;
      const expected = options.expectedRecords ?? 0;
      const ceiling = Math.min(this.poll.maxMs, Math.max(this.poll.initialMs, 2 * (now - started)));
      if (done > previous.done && expected > done) {
        const rate = (done - previous.done) / (now - previous.at);
        delay = Math.min(ceiling, Math.max(this.poll.initialMs, Math.ceil(((expected - done) / rate) * 1.05)));
      } else {
        delay = nextPollDelay(delay, ceiling);
      }
      previous = { at: now, done };
    }
  }

  /**
   * Streams one result file through csv-parse, calling `onRow` per record with its cells and the
   * file's header (the same array every time, so callers can look column positions up once).
   * A dropped connection half-way restarts the download and skips the rows already handed over,
   * so `onRow` sees each row once. Returns the number of rows.
   */
  async readResults(
    jobId: string,
    kind: ResultKind,
    onRow: (cells: string[], header: string[]) => void | Promise<void>,
  ): Promise<number> {
    let delivered = 0;
    for (let attempt = 0; ; attempt++) {
      const res = await this.http.send('GET', `/jobs/ingest/${jobId}/${kind}/`, { accept: 'text/csv' });
      let seen = 0;
      let header: string[] | undefined;
      try {
        const parser = res.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }));
        res.on('error', (err) => parser.destroy(err));
        res.on('aborted', () => parser.destroy(new Error('the answer was cut off')));
        for await (const cells of parser as AsyncIterable<string[]>) {
          if (!header) {
            header = cells;
            continue;
          }
          seen++;
          if (seen <= delivered) continue;
          // Most rows are handled at once; a handler that writes returns a Promise, waited for before the next row.
          const handled = onRow(cells, header);
          if (handled) await handled;
          delivered++;
        }
        return delivered;
      } catch (err) {
        if (attempt >= this.http.retry.maxRetries) {
          throw new SalesforceApiError(
            0,
            'CONNECTION_FAILED',
            `Reading ${kind} of job ${jobId} failed: ${(err as Error).message}`,
            err,
          );
        }
        await sleep(this.http.retry.backoffMs * 2 ** attempt);
      }
    }
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return sleep(ms);
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
