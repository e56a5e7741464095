import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { makeId } from '../ids';
import { EmulatedOrg } from '../org';
import { parseSoql } from '../soql/parser';
import { SoqlExecutor } from '../soql/execute';
import { SRecord } from '../store/record-store';
import { str } from '../store/values';
import { ColumnDelimiter, csvLine, DELIMITERS, LINE_ENDINGS, LineEnding } from './csv-format';
import { JobState } from './ingest-job';

/** A Bulk API 2.0 query job ("Query Jobs" reference). */
export interface QueryJob {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  query: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  concurrencyMode: 'Parallel';
  contentType: 'CSV';
  apiVersion: number;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  numberRecordsProcessed: number;
  retries: number;
  totalProcessingTime: number;
  errorMessage?: string;
  /** Header line and one CSV line per record. */
  header: string;
  lines: string[];
}

/** The body of query job info responses. */
export function queryJobInfo(job: QueryJob): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    concurrencyMode: job.concurrencyMode,
    contentType: job.contentType,
    apiVersion: job.apiVersion,
    jobType: 'V2Query',
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    numberRecordsProcessed: job.numberRecordsProcessed,
    retries: job.retries,
    totalProcessingTime: job.totalProcessingTime,
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
  };
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T.*\+0000$/.test(v)) return v.replace('+0000', 'Z');
  return str(v);
}

function flatten(rec: SRecord, path: string[]): unknown {
  let cur: unknown = rec;
  for (const p of path) {
    if (!cur || typeof cur !== 'object') return null;
    const key = Object.keys(cur).find((k) => k.toLowerCase() === p.toLowerCase());
    cur = key ? (cur as SRecord)[key] : null;
  }
  return cur;
}

/** The org's query jobs; results are computed when the job runs and kept as CSV lines. */
export class QueryJobs {
  private readonly jobs = new Map<string, QueryJob>();
  private seq: number;

  /** `firstSeq`: where this org's job ids start (see `idBase` in org.ts). */
  constructor(firstSeq = 0) {
    this.seq = firstSeq;
  }

  create(
    org: EmulatedOrg,
    userId: string,
    fields: Omit<
      QueryJob,
      | 'id'
      | 'createdById'
      | 'createdDate'
      | 'systemModstamp'
      | 'state'
      | 'concurrencyMode'
      | 'contentType'
      | 'numberRecordsProcessed'
      | 'retries'
      | 'totalProcessingTime'
      | 'header'
      | 'lines'
      | 'object'
    >,
  ): QueryJob {
    const now = org.now();
    const parsed = parseSoql(fields.query);
    const job: QueryJob = {
      ...fields,
      id: makeId('750', 500000 + ++this.seq),
      object: parsed.object,
      createdById: userId,
      createdDate: now,
      systemModstamp: now,
      state: 'UploadComplete',
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      numberRecordsProcessed: 0,
      retries: 0,
      totalProcessingTime: 0,
      header: '',
      lines: [],
    };
    this.jobs.set(job.id, job);
    return job;
  }

  get(id: string): QueryJob | undefined {
    return this.jobs.get(id);
  }

  all(): QueryJob[] {
    return [...this.jobs.values()];
  }

  delete(id: string): void {
    this.jobs.delete(id);
  }

  /** Runs the query asynchronously (UploadComplete → InProgress → JobComplete). */
  async run(org: EmulatedOrg, job: QueryJob): Promise<void> {
    const started = Date.now();
    await yieldToLoop();
    if (job.state !== 'UploadComplete') return;
    job.state = 'InProgress';
    await yieldToLoop();
    const user = org.userById(job.createdById);
    if (!user) return;
    const parsed = parseSoql(job.query);
    const outcome = new SoqlExecutor(org, org.access(user), false).run(job.query, job.operation);
    const delim = DELIMITERS[job.columnDelimiter];
    const eol = LINE_ENDINGS[job.lineEnding];
    const names = parsed.count ? ['expr0'] : parsed.fields.map((f) => f.path);
    job.header = csvLine(names, delim, eol);
    job.lines = parsed.count
      ? [csvLine([String(outcome.totalSize)], delim, eol)]
      : outcome.records.map((rec) =>
          csvLine(
            names.map((n) => cell(flatten(rec, n.split('.')))),
            delim,
            eol,
          ),
        );
    job.numberRecordsProcessed = job.lines.length;
    if ((job.state as string) === 'Aborted') return;
    job.state = 'JobComplete';
    job.totalProcessingTime = Date.now() - started;
    job.systemModstamp = org.now();
  }
}
