import { LightningElement } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getStatus from '@salesforce/apex/TightknitRollupController.getStatus';
import scheduleNightly from '@salesforce/apex/TightknitRollupController.scheduleNightly';
import cancelSchedule from '@salesforce/apex/TightknitRollupController.cancelSchedule';
import runNow from '@salesforce/apex/TightknitRollupController.runNow';
import { formatLabel } from 'c/tightknitLdsUtils';
import { labels } from './labels';
import {
  POLL_INTERVAL_MS,
  badgeClassOf,
  formatHour,
  hourOptions,
  outcomeOf,
  selectedHour,
} from './rollupScheduleModel';
import type { HourOption, LastRun, RollupStatus, RunOutcome } from './rollupScheduleModel';

const OUTCOME_LABELS: Record<RunOutcome, string> = {
  running: labels.outcomeRunning,
  completed: labels.outcomeCompleted,
  completedWithErrors: labels.outcomeCompletedWithErrors,
  failed: labels.outcomeFailed,
};

/**
 * The Setup app's control for the nightly engagement roll-up: whether it is scheduled and when it runs
 * next, how the last run went (from AsyncApexJob), and the Schedule, Cancel, Run now and Refresh actions.
 */
export default class TightknitRollupSchedule extends LightningElement {
  labels = labels;
  hourOptions: HourOption[] = hourOptions();

  status?: RollupStatus;
  hour = String(selectedHour());
  loading = true;
  busy = false;
  loadError?: unknown;
  actionError?: unknown;
  private pollTimer?: ReturnType<typeof setInterval>;

  connectedCallback(): void {
    this.load();
  }

  disconnectedCallback(): void {
    this.stopPolling();
  }

  async load(): Promise<void> {
    this.loading = true;
    this.loadError = undefined;
    try {
      this.show((await getStatus()) as RollupStatus);
    } catch (error) {
      this.loadError = error;
    } finally {
      this.loading = false;
    }
  }

  handleRefresh(): void {
    this.actionError = undefined;
    this.load();
  }

  handleHourChange(event: CustomEvent<{ value: string }>): void {
    this.hour = event.detail.value;
  }

  handleSchedule(): void {
    this.act(() => scheduleNightly({ hour: Number(this.hour) }), labels.scheduledToast);
  }

  handleCancel(): void {
    this.act(() => cancelSchedule(), labels.cancelledToast);
  }

  handleRunNow(): void {
    this.act(() => runNow(), labels.startedToast);
  }

  private async act(call: () => Promise<unknown>, successMessage: string): Promise<void> {
    this.busy = true;
    this.actionError = undefined;
    try {
      this.show((await call()) as RollupStatus);
      this.dispatchEvent(new ShowToastEvent({ title: successMessage, variant: 'success' }));
    } catch (error) {
      this.actionError = error;
    } finally {
      this.busy = false;
    }
  }

  private show(status: RollupStatus): void {
    this.status = status;
    this.hour = String(selectedHour(status));
    if (status.running) {
      this.startPolling();
    } else {
      this.stopPolling();
    }
  }

  private startPolling(): void {
    if (this.pollTimer === undefined) {
      // eslint-disable-next-line @lwc/lwc/no-async-operation -- follows a running batch job; cleared when it ends or the card goes away
      this.pollTimer = setInterval(() => this.poll(), POLL_INTERVAL_MS);
    }
  }

  private stopPolling(): void {
    if (this.pollTimer !== undefined) {
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
    }
  }

  /** A quiet re-read: no spinner; a failure stops polling and shows the load error. */
  private async poll(): Promise<void> {
    try {
      this.show((await getStatus()) as RollupStatus);
    } catch (error) {
      this.stopPolling();
      this.loadError = error;
    }
  }

  get ready(): boolean {
    return !this.loading && !this.loadError && !!this.status;
  }

  get showLoadError(): boolean {
    return !this.loading && !!this.loadError;
  }

  get scheduled(): boolean {
    return !!this.status?.scheduled;
  }

  get scheduleText(): string {
    return formatLabel(labels.scheduledAt, formatHour(selectedHour(this.status)));
  }

  get scheduleButtonLabel(): string {
    return this.scheduled ? labels.updateSchedule : labels.schedule;
  }

  get running(): boolean {
    return !!this.status?.running;
  }

  get runningText(): string {
    const run = this.status?.lastRun;
    return formatLabel(labels.running, run?.processed ?? 0, run?.total ?? 0);
  }

  get runNowDisabled(): boolean {
    return this.busy || this.running;
  }

  get lastRun(): LastRun | undefined {
    return this.status?.lastRun;
  }

  get outcome(): RunOutcome | undefined {
    return this.lastRun ? outcomeOf(this.lastRun) : undefined;
  }

  get outcomeLabel(): string {
    return this.outcome ? OUTCOME_LABELS[this.outcome] : '';
  }

  get outcomeClass(): string {
    return this.outcome ? badgeClassOf(this.outcome) : '';
  }

  get chunksText(): string {
    return formatLabel(labels.chunks, this.lastRun?.processed ?? 0, this.lastRun?.total ?? 0);
  }

  get hasFailures(): boolean {
    return (this.lastRun?.errors ?? 0) > 0 || this.outcome === 'failed';
  }

  get failuresText(): string {
    return formatLabel(labels.failedChunks, this.lastRun?.errors ?? 0, this.lastRun?.message ?? '');
  }
}
