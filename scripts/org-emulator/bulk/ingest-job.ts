import { ColumnDelimiter, LineEnding } from './csv-format';

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

/** An ingest job: the fields "Get Job Info" returns, plus where its data and results live. */
export interface IngestJob {
  id: string;
  operation: IngestOperation;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  externalIdFieldName?: string;
  concurrencyMode: 'Parallel';
  contentType: 'CSV';
  apiVersion: number;
  jobType: 'V2Ingest';
  contentUrl: string;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  retries: number;
  totalProcessingTime: number;
  apiActiveProcessingTime: number;
  apexProcessingTime: number;
  errorMessage?: string;
  assignmentRuleId?: string;
  /** Uploaded CSV on disk (undefined until data arrives). */
  dataFile?: string;
  uploadedBytes: number;
  /** successfulResults / failedResults / unprocessedrecords files. */
  resultFiles: { success: string; failed: string; unprocessed: string };
}

/** The body of "Create a Job" and "Close or Abort a Job" responses. */
export function jobSummary(job: IngestJob): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: job.concurrencyMode,
    contentType: job.contentType,
    apiVersion: job.apiVersion,
    contentUrl: job.contentUrl,
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}

/** The body of "Get Job Info". */
export function jobInfo(job: IngestJob): Record<string, unknown> {
  return {
    ...jobSummary(job),
    jobType: job.jobType,
    retries: job.retries,
    numberRecordsProcessed: job.numberRecordsProcessed,
    numberRecordsFailed: job.numberRecordsFailed,
    totalProcessingTime: job.totalProcessingTime,
    apiActiveProcessingTime: job.apiActiveProcessingTime,
    apexProcessingTime: job.apexProcessingTime,
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    ...(job.assignmentRuleId ? { assignmentRuleId: job.assignmentRuleId } : {}),
  };
}
