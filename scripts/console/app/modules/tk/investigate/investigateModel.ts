/** The Investigate page's view of one run: its Bulk jobs per object, failed records by error, held-back records, events. */
import type { ErrorGroupView, HintView, InvestigationView, JobView } from 'tk/contract';
import { formatDateTime, formatNumber } from 'tk/format';
import { LABELS, fill } from 'tk/labels';
import { RUN_OBJECTS, objectCounts, runDuration, runStarted, runType, statusBadge } from 'tk/runs';

const I = LABELS.investigate;
const objectLabel = (o: string): string => LABELS.progress.objects[o] ?? (o === 'contact' ? 'Contacts' : o);

function hintView(hint: HintView | null) {
  return { hasHint: !!hint, cause: hint?.cause ?? '', fix: hint?.fix ?? '' };
}

/** The columns of a Bulk jobs table (a tk-data-table). */
export const JOB_COLUMNS = (
  ['jobId', 'operation', 'purpose', 'path', 'state', 'records', 'processed', 'failed', 'polls', 'times'] as const
).map((key) => ({ key, label: I[key] }));

function jobRow(job: JobView, index: number) {
  const key = job.salesforceJobId ?? `local-${index}`;
  const cell = (name: string, text: string, more: { className?: string; note?: string; noteClass?: string } = {}) => ({
    key: name,
    text,
    ...more,
  });
  return {
    key,
    job: key,
    header: { text: job.salesforceJobId ?? I.notSubmitted, className: 'tk-mono' },
    cells: [
      cell('operation', job.operation),
      cell('purpose', job.purpose),
      cell('path', job.path === 'bulk' ? 'Bulk API 2.0' : 'sObject Collections'),
      cell('state', job.state, { note: job.errorMessage ?? '', noteClass: 'slds-text-color_error' }),
      cell('records', formatNumber(job.records)),
      cell('processed', formatNumber(job.processed)),
      cell('failed', formatNumber(job.failed), { className: job.failed ? 'slds-text-color_error' : '' }),
      cell('polls', formatNumber(job.polls)),
      cell('times', formatDateTime(job.createdAt), { note: formatDateTime(job.finishedAt) }),
    ],
  };
}

function errorGroup(g: ErrorGroupView, index: number) {
  return {
    key: `${g.object}-${g.code}-${index}`,
    dataId: `error-group-${g.code}`,
    object: g.object,
    heading: `${g.code} · ${objectLabel(g.object)}`,
    countText: fill(I.errorCount, { count: formatNumber(g.count), resolved: formatNumber(g.resolved) }),
    message: g.message,
    ...hintView(g.hint),
    samples: g.records.slice(0, 20).map((r) => ({
      key: r.externalId,
      externalId: r.externalId,
      resolved: r.resolvedByRun !== null,
    })),
  };
}

export function investigateView(inv: InvestigationView) {
  const run = inv.run;
  const badge = statusBadge(run.status);
  return {
    title: fill(I.title, { id: run.runId }),
    badge,
    summary: fill(I.summary, {
      type: runType(run),
      status: badge.text,
      started: runStarted(run),
      duration: runDuration(run),
    }),
    message: run.message ?? '',
    counts: objectCounts(run).map((c) => ({ ...c, label: objectLabel(c.object) })),
    jobs: RUN_OBJECTS.map((object) => ({
      object,
      dataId: `jobs-${object}`,
      heading: fill(I.jobsTitle, { object: objectLabel(object) }),
      rows: (inv.jobs[object] ?? []).map(jobRow),
      empty: (inv.jobs[object] ?? []).length === 0,
    })),
    errors: inv.errors.map(errorGroup),
    heldBack: inv.heldBack.map((h, i) => ({
      key: `${h.object}-${h.reason}-${i}`,
      text: fill(I.heldBackText, {
        count: formatNumber(h.count),
        object: objectLabel(h.object).toLowerCase(),
        reason: h.reason,
      }),
      samples: h.sample.join(', '),
      ...hintView(h.hint),
    })),
    events: inv.events.map((e, i) => ({
      key: `event-${i}`,
      dataId: e.code ? `event-${e.code}` : `event-${i}`,
      at: formatDateTime(e.at),
      type: e.type,
      code: e.code ?? '',
      message: e.message,
      ...hintView(e.hint),
    })),
  };
}
