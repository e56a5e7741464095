/** How a run reads anywhere in the console: its type, status badge, times and counts per object. */
import type { ObjectName, RunView } from 'tk/contract';
import { formatDateTime, formatDuration, formatNumber } from 'tk/format';
import { LABELS, fill } from 'tk/labels';

const H = LABELS.history;
export const RUN_OBJECTS: ObjectName[] = ['community', 'member', 'activity'];

/** Icons on a coloured badge take the text colour; on a light badge the default icon colour. */
export const ICON_ON_THEME = 'slds-icon slds-icon_xx-small slds-current-color';
export const ICON_ON_LIGHT = 'slds-icon slds-icon_xx-small slds-icon-text-default';

const BADGES: Record<string, { className: string; icon: string; iconVariant: string }> = {
  Succeeded: { className: 'slds-badge slds-theme_success', icon: 'success', iconVariant: ICON_ON_THEME },
  Failed: { className: 'slds-badge slds-theme_error', icon: 'error', iconVariant: ICON_ON_THEME },
  PartiallyFailed: { className: 'slds-badge slds-theme_warning', icon: 'warning', iconVariant: ICON_ON_LIGHT },
  Running: { className: 'slds-badge slds-badge_lightest', icon: 'sync', iconVariant: ICON_ON_LIGHT },
  Stopped: { className: 'slds-badge slds-badge_lightest', icon: 'stop', iconVariant: ICON_ON_LIGHT },
};

export interface BadgeView {
  text: string;
  className: string;
  icon: string;
  iconVariant: string;
}

export function statusBadge(status: string): BadgeView {
  const b = BADGES[status] ?? { className: 'slds-badge', icon: 'info', iconVariant: ICON_ON_LIGHT };
  return { text: H.statuses[status] ?? status, ...b };
}

/** A run needs investigating when it failed or any record failed. */
export function hasFailures(run: RunView): boolean {
  return (
    run.status === 'Failed' || run.status === 'PartiallyFailed' || RUN_OBJECTS.some((o) => run.objects[o].failed > 0)
  );
}

export function runType(run: RunView): string {
  return H.types[run.type] ?? run.type;
}

export function runDuration(run: RunView): string {
  return run.durationMs === null ? H.running : formatDuration(run.durationMs);
}

export function runStarted(run: RunView): string {
  return formatDateTime(run.startedAt);
}

/** Per object: "1,228 ✓ / 12 ✗" for the eye, "1,228 succeeded, 12 failed" for a screen reader. */
export function objectCounts(
  run: RunView,
): Array<{ object: ObjectName; short: string; long: string; failed: boolean }> {
  return RUN_OBJECTS.map((object) => {
    const c = run.objects[object];
    const values = { succeeded: formatNumber(c.succeeded), failed: formatNumber(c.failed) };
    return {
      object,
      short: fill(H.succeededFailed, values),
      long: fill(H.succeededFailedText, values),
      failed: c.failed > 0,
    };
  });
}

/** The summary table of one run: a row per object with every count. */
export function summaryRows(run: RunView) {
  return RUN_OBJECTS.map((object) => {
    const c = run.objects[object];
    return {
      object,
      label: LABELS.progress.objects[object],
      processed: formatNumber(c.processed),
      succeeded: formatNumber(c.succeeded),
      failed: formatNumber(c.failed),
      heldBack: formatNumber(c.heldBack),
      truncated: formatNumber(c.truncated),
      deleted: formatNumber(c.deleted),
    };
  });
}
