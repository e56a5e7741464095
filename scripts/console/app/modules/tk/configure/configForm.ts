/**
 * The Configure form's logic: the editable copy of the configuration (numbers kept as typed, the match
 * rules in force as a list), the client-side validation keyed by request path, and the PUT /api/config body.
 */
import type { ConfigChange, ConfigView } from 'tk/contract';
import { ACTIVITY_TYPES, LABELS } from 'tk/labels';

export type Level = 'champion' | 'high' | 'medium';
export const LEVELS: Level[] = ['champion', 'high', 'medium'];
export type ToggleName = 'createContacts' | 'activityMetadata';

export interface ConfigForm {
  createContacts: boolean;
  activityMetadata: boolean;
  /** In order; they replace the older matching field and Lead matching switch once saved. */
  matchRules: string[];
  intervalMinutes: string;
  weights: Record<string, string>;
  thresholds: Record<Level, string>;
}

/** Field paths as the server names them in a 400's `fields`. */
export const weightPath = (type: string): string => `engagement.weights.${type}`;
export const thresholdPath = (level: Level): string => `engagement.thresholds.${level}`;

/** The activity types to show: the 13 known ones in their usual order, then any others the config has. */
export function weightTypes(config: ConfigView | null): Array<{ value: string; label: string }> {
  const known = new Set(ACTIVITY_TYPES.map((t) => t.value));
  const extra = Object.keys(config?.engagement.weights ?? {})
    .filter((t) => !known.has(t))
    .map((t) => ({ value: t, label: t }));
  return [...ACTIVITY_TYPES, ...extra];
}

export function formFromConfig(config: ConfigView): ConfigForm {
  const weights: Record<string, string> = {};
  for (const t of weightTypes(config)) {
    const w = config.engagement.weights[t.value];
    weights[t.value] = w === undefined ? '' : String(w);
  }
  const th = config.engagement.thresholds;
  return {
    createContacts: config.createContacts,
    activityMetadata: config.activityMetadata,
    matchRules: [...config.matchRulesInForce],
    intervalMinutes: String(config.intervalMinutes),
    weights,
    thresholds: { champion: String(th.champion), high: String(th.high), medium: String(th.medium) },
  };
}

function toNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : null;
}

const sameRules = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((r, i) => r === b[i]);

/** True when saving changed the rules the sync matches with. */
export function rulesChanged(before: ConfigView | null, after: ConfigView): boolean {
  return !!before && !sameRules(before.matchRulesInForce, after.matchRulesInForce);
}

/** Client-side validation, keyed by request path; empty when the form can be sent. */
export function validateConfig(form: ConfigForm): Record<string, string> {
  const E = LABELS.configure.errors;
  const errors: Record<string, string> = {};
  if (form.matchRules.length === 0) errors.matchRules = LABELS.matchRules.errors.empty;
  const interval = toNumber(form.intervalMinutes);
  if (interval === null || !Number.isInteger(interval) || interval < 1 || interval > 1440) {
    errors.intervalMinutes = E.interval;
  }
  for (const [type, text] of Object.entries(form.weights)) {
    const w = toNumber(text);
    if (w === null || w < 0) errors[weightPath(type)] = E.weight;
  }
  const values = {} as Record<Level, number | null>;
  for (const level of LEVELS) {
    const v = toNumber(form.thresholds[level]);
    values[level] = v;
    if (v === null || v <= 0) errors[thresholdPath(level)] = E.threshold;
  }
  const { champion, high, medium } = values;
  if (champion !== null && high !== null && high > 0 && champion <= high && !errors[thresholdPath('champion')]) {
    errors[thresholdPath('champion')] = E.championAboveHigh;
  }
  if (high !== null && medium !== null && medium > 0 && high <= medium && !errors[thresholdPath('high')]) {
    errors[thresholdPath('high')] = E.highAboveMedium;
  }
  return errors;
}

/**
 * The PUT body: the whole form, numbers as numbers; the match rules only when they differ from those in
 * force (an untouched older configuration keeps its matching field). Call only when validateConfig found nothing.
 */
export function buildChange(form: ConfigForm, saved: ConfigView | null): ConfigChange {
  const weights: Record<string, number> = {};
  for (const [type, text] of Object.entries(form.weights)) weights[type] = Number(text.trim());
  return {
    createContacts: form.createContacts,
    activityMetadata: form.activityMetadata,
    ...(saved && sameRules(form.matchRules, saved.matchRulesInForce) ? {} : { matchRules: [...form.matchRules] }),
    intervalMinutes: Number(form.intervalMinutes.trim()),
    engagement: {
      weights,
      thresholds: {
        champion: Number(form.thresholds.champion.trim()),
        high: Number(form.thresholds.high.trim()),
        medium: Number(form.thresholds.medium.trim()),
      },
    },
  };
}

function normalise(form: ConfigForm): string {
  const n = (s: string) => {
    const v = toNumber(s);
    return v === null ? s.trim() : v;
  };
  return JSON.stringify({
    ...form,
    intervalMinutes: n(form.intervalMinutes),
    weights: Object.fromEntries(Object.entries(form.weights).map(([k, v]) => [k, n(v)])),
    thresholds: Object.fromEntries(LEVELS.map((l) => [l, n(form.thresholds[l])])),
  });
}

/** True when the form differs from the saved configuration ("05" and "5" are the same). */
export function isDirty(form: ConfigForm, saved: ConfigView | null): boolean {
  return !!saved && normalise(form) !== normalise(formFromConfig(saved));
}
