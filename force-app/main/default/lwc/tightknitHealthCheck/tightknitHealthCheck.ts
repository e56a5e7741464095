import { LightningElement } from 'lwc';
import runHealthCheck from '@salesforce/apex/TightknitHealthCheckController.runHealthCheck';
import { formatLabel } from 'c/tightknitLdsUtils';
import { labels } from './labels';
import { summarize, toRows } from './healthCheckModel';

import type { CheckResult, CheckRow, Summary } from './healthCheckModel';

const STATUS_LABELS = {
  healthy: labels.statusHealthy,
  actionRequired: labels.statusActionRequired,
  warning: labels.statusWarning,
};

/**
 * The Tightknit Health Check: org-wide sharing of the package objects, the integration user, its Contact
 * access, who has Tightknit Users, and when data last arrived. It informs and never blocks anything;
 * Refresh re-reads the org.
 */
export default class TightknitHealthCheck extends LightningElement {
  labels = labels;

  results: CheckResult[] = [];
  loading = true;
  error?: unknown;
  checkedAt?: number;

  connectedCallback(): void {
    this.load();
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = undefined;
    try {
      this.results = (await runHealthCheck()) as CheckResult[];
      this.checkedAt = Date.now();
    } catch (error) {
      this.error = error;
    } finally {
      this.loading = false;
    }
  }

  handleRefresh(): void {
    this.load();
  }

  get showError(): boolean {
    return !this.loading && !!this.error;
  }

  get hasResults(): boolean {
    return !this.error && this.results.length > 0;
  }

  get rows(): CheckRow[] {
    return toRows(this.results, STATUS_LABELS);
  }

  get summary(): Summary {
    return summarize(this.results);
  }

  get allHealthy(): boolean {
    return this.summary.actionRequired === 0 && this.summary.warnings === 0;
  }

  get summaryText(): string {
    return this.allHealthy
      ? labels.summaryHealthy
      : formatLabel(labels.summaryAttention, this.summary.actionRequired, this.summary.warnings);
  }

  get summaryClass(): string {
    if (this.summary.actionRequired > 0) {
      return 'slds-text-color_error slds-text-heading_small';
    }
    return this.allHealthy ? 'slds-text-color_success slds-text-heading_small' : 'slds-text-heading_small';
  }
}
