/** Column lists of the ledger tables, aliased to the record types' field names. */

export const RUN_COLUMNS = `id, type, status, started_at AS "startedAt", finished_at AS "finishedAt", message,
  api_calls AS "apiCalls", retry_of AS "retryOf"`;

export const JOB_COLUMNS = `id, run_id AS "runId", object, operation, purpose, path, sf_job_id AS "sfJobId", state,
  records, bytes, processed, failed, seq_hi AS "seqHi", polls, error_message AS "errorMessage",
  created_at AS "createdAt", uploaded_at AS "uploadedAt", finished_at AS "finishedAt", results_at AS "resultsAt"`;

export const LINK_COLUMNS = `member_id AS "memberId", match_value AS "matchValue", status, contact_id AS "contactId",
  lead_id AS "leadId", created_contact_id AS "createdContactId", intent_run_id AS "intentRunId", rule`;

/** The job fields a later step may set (`JobPatch`), and their columns. */
export const JOB_PATCH_COLUMNS: Readonly<Record<string, string>> = {
  state: 'state',
  processed: 'processed',
  failed: 'failed',
  polls: 'polls',
  errorMessage: 'error_message',
  uploadedAt: 'uploaded_at',
  finishedAt: 'finished_at',
  resultsAt: 'results_at',
};
