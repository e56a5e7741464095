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

function jobRow(job: JobView, index: number) {
  return {
    key: job.salesforceJobId ?? `local-${index}`,
    jobId: job.salesforceJobId ?? I.notSubmitted,
    operation: job.operation,
    purpose: job.purpose,
    path: job.path === 'bulk' ? 'Bulk API 2.0' : 'sObject Collections',
    state: job.state,
    records: formatNumber(job.records),
    processed: formatNumber(job.processed),
    failed: formatNumber(job.failed),
    failedClass: job.failed ? 'slds-text-color_error' : '',
    polls: formatNumber(job.polls),
    created: formatDateTime(job.createdAt),
    finished: formatDateTime(job.finishedAt),
    errorMessage: job.errorMessage ?? '',
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
      at: formatDateTime(e.at),
      type: e.type,
      code: e.code ?? '',
      message: e.message,
      ...hintView(e.hint),
    })),
  };
}
