/** Check results (the org's `check`, the Slack checks) as rows: status text and icon, detail, fix, blocking. */
import type { CheckReportView } from 'tk/contract';
import { LABELS } from 'tk/labels';

const L = LABELS.connection;

const STATUS_ICONS: Record<string, { icon: string; variant: string }> = {
  pass: { icon: 'success', variant: 'slds-icon slds-icon_x-small slds-icon-text-success' },
  fail: { icon: 'error', variant: 'slds-icon slds-icon_x-small slds-icon-text-error' },
  warn: { icon: 'warning', variant: 'slds-icon slds-icon_x-small slds-icon-text-warning' },
  skip: { icon: 'dash', variant: 'slds-icon slds-icon_x-small slds-icon-text-default' },
};

export function checkRows(report: CheckReportView): Array<{
  key: string;
  dataId: string;
  status: string;
  statusText: string;
  icon: string;
  variant: string;
  label: string;
  detail: string;
  fix: string;
  blocking: boolean;
}> {
  return report.checks.map((c) => ({
    key: c.id,
    dataId: `check-${c.id}`,
    status: c.status,
    statusText: L.checkStatus[c.status] ?? c.status,
    icon: STATUS_ICONS[c.status]?.icon ?? 'info',
    variant: STATUS_ICONS[c.status]?.variant ?? STATUS_ICONS.skip.variant,
    label: c.label,
    detail: c.detail,
    fix: c.status === 'pass' ? '' : (c.fix ?? ''),
    blocking: c.blocking && c.status === 'fail',
  }));
}
