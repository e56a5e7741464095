import type { AsyncStore } from '../sync';

interface OrgJobInfo {
  totalProcessingTime?: number;
  systemModstamp?: string;
}

const at = (iso: string | null | undefined): number => (iso ? Date.parse(iso.replace(/\+0000$/, 'Z')) : NaN);
const s = (ms: number): string => (Number.isFinite(ms) ? (ms / 1000).toFixed(2).padStart(6) : '     -');

/**
 * Where each Bulk job of a run spent its time, from the ledger (created, closed, seen ended, results read)
 * and the org's own job information (processing time, end): upload, wait before Salesforce started it,
 * Salesforce's processing, the poll's delay in seeing the end, result reading, and the gap between the end
 * of the job before and the start of this one (Salesforce idle for this object).
 */
export async function printJobTimes(
  store: AsyncStore,
  runId: number,
  org: { instanceUrl: string; accessToken: string; version: string },
): Promise<void> {
  console.log('object     rows  upload  queued  processing  seen-after  results  idle-before');
  let previousEnd = NaN;
  for (const job of await store.ledger.jobsOfRun(runId)) {
    if (!job.sfJobId) continue;
    const res = await fetch(`${org.instanceUrl}/services/data/v${org.version}/jobs/ingest/${job.sfJobId}`, {
      headers: { Authorization: `Bearer ${org.accessToken}` },
    });
    const info = (await res.json()) as OrgJobInfo;
    const end = at(info.systemModstamp);
    const start = end - (info.totalProcessingTime ?? NaN);
    console.log(
      [
        job.object.padEnd(9),
        String(job.records).padStart(7),
        s(at(job.uploadedAt) - at(job.createdAt)),
        s(start - at(job.uploadedAt)),
        `    ${s(end - start)}`,
        `    ${s(at(job.finishedAt) - end)}`,
        ` ${s(at(job.resultsAt) - at(job.finishedAt))}`,
        `     ${s(start - previousEnd)}`,
      ].join(' '),
    );
    previousEnd = end;
  }
}
