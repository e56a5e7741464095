/** The Sync History table's rows, with their expanded summaries. */
import type { RunView } from 'tk/contract';
import { fill, LABELS } from 'tk/labels';
import { runHref } from 'tk/router';
import { hasFailures, objectCounts, runDuration, runStarted, runType, statusBadge, summaryRows } from 'tk/runs';

const H = LABELS.history;

const SUMMARY_FIELDS = ['processed', 'succeeded', 'failed', 'heldBack', 'truncated', 'deleted'] as const;

/** The columns of a run's expanded per-object summary (a tk-data-table). */
export const SUMMARY_COLUMNS = [
  { key: 'object', label: H.summaryObject },
  ...SUMMARY_FIELDS.map((key) => ({ key, label: H[key] })),
];

function summaryTable(run: RunView) {
  return summaryRows(run).map((s) => ({
    key: s.object,
    object: s.object,
    header: { text: s.label },
    cells: SUMMARY_FIELDS.map((key) => ({ key, text: s[key] })),
  }));
}

export function historyRows(runs: RunView[], expanded: ReadonlySet<number>) {
  return runs.map((run) => {
    const id = run.runId;
    const open = expanded.has(id);
    return {
      runId: id,
      key: `run-${id}`,
      summaryKey: `summary-${id}`,
      rowDataId: `run-row-${id}`,
      expandDataId: `run-expand-${id}`,
      summaryDataId: `run-summary-${id}`,
      summaryId: `tk-run-summary-${id}`,
      investigateDataId: `investigate-${id}`,
      number: `#${id}`,
      typeText: runType(run),
      startedText: runStarted(run),
      durationText: runDuration(run),
      badge: statusBadge(run.status),
      counts: objectCounts(run),
      failures: hasFailures(run),
      href: runHref(id),
      investigateLabel: fill(H.investigateLabel, { id }),
      expanded: open,
      ariaExpanded: open ? 'true' : 'false',
      expandLabel: fill(open ? H.collapse : H.expand, { id }),
      expandIcon: open ? 'chevrondown' : 'chevronright',
      summary: summaryTable(run),
      apiCallsText: fill(H.apiCalls, { count: run.apiCalls }),
      retryText: run.retryOf ? fill(H.retryOf, { id: run.retryOf }) : '',
      messageText: run.message ?? H.noMessage,
    };
  });
}

/** A key that changes when the last run changes (a new run, or the same run finishing). */
export function runKey(run: RunView | null): string {
  return run ? `${run.runId}:${run.status}:${run.finishedAt ?? ''}` : '';
}
