/** What the review dialog shows: the connection and configuration read-only, and the plan in one sentence. */
import type { ConfigView, ConnectionView, StoreView } from 'tk/contract';
import { formatInterval, formatNumber } from 'tk/format';
import { ACTIVITY_TYPES, LABELS, fill } from 'tk/labels';

export interface ReviewRow {
  key: string;
  label: string;
  value: string;
}

const onOff = (v: boolean): string => (v ? LABELS.common.on : LABELS.common.off);

export function connectionRows(c: ConnectionView | null): ReviewRow[] {
  if (!c) return [];
  const L = LABELS.connection;
  return [
    { key: 'org', label: L.orgUrl, value: c.instanceUrl },
    { key: 'user', label: L.user, value: c.username ?? LABELS.common.none },
    { key: 'method', label: L.method, value: L.methods[c.method] ?? c.method },
  ];
}

export function configRows(config: ConfigView): ReviewRow[] {
  const L = LABELS.configure;
  const label = (type: string) => ACTIVITY_TYPES.find((t) => t.value === type)?.label ?? type;
  const weights = Object.entries(config.engagement.weights)
    .map(([type, w]) => `${label(type)} ${w}`)
    .join(', ');
  return [
    { key: 'createContacts', label: L.createContacts, value: onOff(config.createContacts) },
    { key: 'activityMetadata', label: L.activityMetadata, value: onOff(config.activityMetadata) },
    { key: 'matchRules', label: L.matchRules, value: config.matchRulesInForce.join(' → ') },
    { key: 'interval', label: L.interval, value: formatInterval(config.intervalMinutes) },
    { key: 'weights', label: LABELS.review.weights, value: weights },
    {
      key: 'thresholds',
      label: LABELS.review.thresholds,
      value: fill(LABELS.review.thresholdsText, config.engagement.thresholds),
    },
  ];
}

/** "A backfill of 1 communities, 1,240 members and 58,210 activities, then an incremental sync every 5 minutes." */
export function planText(config: ConfigView, store: StoreView): string {
  return fill(LABELS.review.planText, {
    communities: formatNumber(store.communities),
    members: formatNumber(store.members),
    activities: formatNumber(store.activities),
    interval: formatInterval(config.intervalMinutes),
  });
}
