/**
 * Plain logic of the Health Check: the row shape TightknitHealthCheckController returns, how each status
 * is shown, and the summary line. No DOM, no Apex.
 */

type CheckStatus = 'healthy' | 'action_required' | 'warning';

export type CheckResult = {
  key: string;
  title: string;
  status: CheckStatus;
  detail: string;
  fixLabel?: string;
  fixUrl?: string;
};

export type StatusLabels = { healthy: string; actionRequired: string; warning: string };

export type CheckRow = CheckResult & {
  statusLabel: string;
  badgeClass: string;
  iconName: string;
  iconVariant: string;
  hasFix: boolean;
};

export type Summary = { actionRequired: number; warnings: number; healthy: number };

const ORDER: Record<CheckStatus, number> = { action_required: 0, warning: 1, healthy: 2 };

/** Adds what the template needs to show one row. */
function toRow(result: CheckResult, labels: StatusLabels): CheckRow {
  const look =
    result.status === 'action_required'
      ? {
          statusLabel: labels.actionRequired,
          badgeClass: 'slds-badge slds-theme_error',
          iconName: 'utility:error',
          iconVariant: 'error',
        }
      : result.status === 'warning'
        ? {
            statusLabel: labels.warning,
            badgeClass: 'slds-badge slds-theme_warning',
            iconName: 'utility:warning',
            iconVariant: 'warning',
          }
        : {
            statusLabel: labels.healthy,
            badgeClass: 'slds-badge slds-theme_success',
            iconName: 'utility:success',
            iconVariant: 'success',
          };
  return { ...result, ...look, hasFix: !!result.fixUrl };
}

/** Rows needing action first, then warnings, then healthy ones; the server's order within each group. */
export function toRows(results: CheckResult[], labels: StatusLabels): CheckRow[] {
  return results
    .map((result, index) => ({ result, index }))
    .sort((a, b) => ORDER[a.result.status] - ORDER[b.result.status] || a.index - b.index)
    .map(({ result }) => toRow(result, labels));
}

/** Counts per status. */
export function summarize(results: CheckResult[]): Summary {
  return {
    actionRequired: results.filter((result) => result.status === 'action_required').length,
    warnings: results.filter((result) => result.status === 'warning').length,
    healthy: results.filter((result) => result.status === 'healthy').length,
  };
}
