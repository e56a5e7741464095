/** Turns the status into what the progress section shows: one bar per object, and the schedule. */
import type { ActivityView, ObjectName, RunView, SchedulerView } from 'tk/contract';
import {
  formatDateTime,
  formatDuration,
  formatInterval,
  formatNumber,
  formatRate,
  formatSeconds,
  percentOf,
} from 'tk/format';
import { LABELS, fill } from 'tk/labels';

const L = LABELS.progress;
const OBJECTS: ObjectName[] = ['community', 'member', 'activity'];

export interface ObjectRow {
  object: ObjectName;
  dataId: string;
  labelId: string;
  label: string;
  phase: string;
  phaseText: string;
  percent: number;
  barStyle: string;
  recordsText: string;
  rateText: string;
  etaText: string;
  /** What a screen reader announces for the bar. */
  valueText: string;
}

function row(
  object: ObjectName,
  phase: string,
  processed: number,
  total: number,
  rate: number | null,
  eta: number | null,
): ObjectRow {
  const done = phase === 'done';
  const percent = done && total === processed ? 100 : percentOf(processed, total);
  const recordsText = fill(L.records, { processed: formatNumber(processed), total: formatNumber(total) });
  return {
    object,
    dataId: `progress-${object}`,
    labelId: `tk-progress-${object}-label`,
    label: L.objects[object],
    phase,
    phaseText: L.phases[phase] ?? phase,
    percent,
    barStyle: `width: ${percent}%`,
    recordsText,
    rateText: rate !== null && !done ? fill(L.rate, { rate: formatRate(rate) }) : '',
    etaText: done
      ? ''
      : eta !== null
        ? fill(L.eta, { eta: formatSeconds(eta) })
        : rate === null && processed === 0
          ? ''
          : L.noEstimate,
    valueText: `${recordsText}, ${fill(L.percent, { percent })}`,
  };
}

/** The bars: the run under way, or else the last run's final counts; none before the first run. */
export function objectRows(activity: ActivityView | null, lastRun: RunView | null): ObjectRow[] {
  if (activity) {
    return OBJECTS.map((object) => {
      const p = activity.objects.find((o) => o.object === object);
      return p
        ? row(object, p.phase, p.processed, p.total, p.ratePerSecond, p.etaSeconds)
        : row(object, 'waiting', 0, 0, null, null);
    });
  }
  if (lastRun) {
    return OBJECTS.map((object) => {
      const c = lastRun.objects[object];
      return row(object, 'done', c.processed, c.processed, null, null);
    });
  }
  return [];
}

export function runHeading(activity: ActivityView | null, lastRun: RunView | null): string {
  const types = LABELS.history.types;
  if (activity) {
    return activity.runType === 'retry' && activity.retryOf
      ? fill(L.retrying, { run: activity.retryOf })
      : fill(L.running, { type: types[activity.runType] ?? activity.runType });
  }
  if (lastRun) {
    return fill(L.lastRunTitle, {
      type: types[lastRun.type] ?? lastRun.type,
      status: LABELS.history.statuses[lastRun.status] ?? lastRun.status,
    });
  }
  return '';
}

export interface ScheduleView {
  state: string;
  stateText: string;
  intervalText: string;
  nextRunText: string;
  lastRunText: string;
  heldByText: string;
  paused: boolean;
  canStop: boolean;
}

export function scheduleView(s: SchedulerView, lastRun: RunView | null): ScheduleView {
  const H = LABELS.history;
  return {
    state: s.state,
    stateText: L.states[s.state] ?? s.state,
    intervalText: fill(L.interval, { interval: formatInterval(s.intervalMinutes) }),
    nextRunText: s.nextRunAt && !s.paused ? formatDateTime(s.nextRunAt) : L.noNextRun,
    lastRunText: lastRun
      ? fill(L.lastRunText, {
          type: H.types[lastRun.type] ?? lastRun.type,
          id: lastRun.runId,
          status: (H.statuses[lastRun.status] ?? lastRun.status).toLowerCase(),
          when: formatDateTime(lastRun.finishedAt ?? lastRun.startedAt),
          duration: lastRun.durationMs === null ? H.running : formatDuration(lastRun.durationMs),
        })
      : L.noLastRun,
    heldByText: s.heldBy ? fill(L.heldBy, { command: s.heldBy.command, pid: s.heldBy.pid }) : '',
    paused: s.paused,
    canStop: s.state !== 'stopped',
  };
}

/** "N member link(s) wait for Contact access", or nothing when none wait. */
export function waitingLinksText(count: number): string {
  return count > 0 ? fill(L.waitingLinks, { count: formatNumber(count) }) : '';
}
