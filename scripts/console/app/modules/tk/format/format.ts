/** Formatting for the console: numbers, local times, durations, rates and estimates. */
import { LABELS, fill } from 'tk/labels';

const numberFormat = new Intl.NumberFormat('en-US');

/** 12345 → "12,345"; null/undefined → "—". */
export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? LABELS.common.none : numberFormat.format(value);
}

/** An ISO timestamp in the browser's local time zone, e.g. "Mar 4, 2026, 2:05 PM". */
export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return LABELS.common.none;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return LABELS.common.none;
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

/** Milliseconds as "850 ms", "12 s", "3 min 5 s", "2 h 4 min"; null → "—". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms < 0) return LABELS.common.none;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return formatSeconds(Math.round(ms / 1000));
}

/** Whole seconds as "12 s", "3 min 5 s", "2 h 4 min". */
export function formatSeconds(total: number): string {
  const seconds = Math.max(0, Math.round(total));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    const rest = seconds % 60;
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  return restMinutes ? `${hours} h ${restMinutes} min` : `${hours} h`;
}

/** Records per second, one decimal below 10: "4.5", "1,230". */
export function formatRate(perSecond: number): string {
  return perSecond < 10 ? perSecond.toFixed(1) : numberFormat.format(Math.round(perSecond));
}

/** Whole percent of processed/total, clamped to 0–100; an empty total counts as done. */
export function percentOf(processed: number, total: number): number {
  if (total <= 0) return processed > 0 ? 100 : 0;
  return Math.min(100, Math.max(0, Math.floor((processed / total) * 100)));
}

/** "1 minute", "5 minutes". */
export function formatInterval(minutes: number): string {
  return minutes === 1 ? LABELS.common.minute : fill(LABELS.common.minutes, { count: formatNumber(minutes) });
}
