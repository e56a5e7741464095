import { LightningElement, api } from 'lwc';
import { pauseSync, resumeSync, stopSync } from 'tk/api';
import type { ActivityView, RunView, SchedulerView, StatusView } from 'tk/contract';
import { reduceError, type ErrorInfo } from 'tk/errors';
import { LABELS } from 'tk/labels';
import { objectRows, runHeading, scheduleView, waitingLinksText } from './progressModel';

/** Backfill progress per object, then the incremental schedule with pause/resume and Stop. */
export default class Progress extends LightningElement {
  static renderMode = 'light' as const;
  labels = LABELS;
  @api activity: ActivityView | null = null;
  @api scheduler: SchedulerView | null = null;
  @api lastRun: RunView | null = null;
  /** Member links waiting for matching (the org refused to let the sync read Contact, Lead or a rule's field). */
  @api waitingLinks = 0;
  busy = false;
  stopping = false;
  actionError: ErrorInfo | null = null;

  get rows() {
    return objectRows(this.activity, this.lastRun);
  }

  get hasRows(): boolean {
    return this.rows.length > 0;
  }

  get heading(): string {
    return runHeading(this.activity, this.lastRun);
  }

  get schedule() {
    return this.scheduler ? scheduleView(this.scheduler, this.lastRun) : null;
  }

  /** Shown between runs only: a run under way counts its own members as waiting until it looks them up. */
  get waitingText(): string {
    return this.activity ? '' : waitingLinksText(this.waitingLinks);
  }

  get lastError() {
    return this.scheduler?.lastError ?? null;
  }

  get stopDisabled(): boolean {
    return this.stopping || !this.schedule?.canStop;
  }

  get stopLabel(): string {
    return this.stopping ? LABELS.progress.stopping : LABELS.progress.stop;
  }

  private report(status: StatusView): void {
    this.dispatchEvent(new CustomEvent('statuschange', { detail: status }));
  }

  async handlePause(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const pause = input.checked;
    this.busy = true;
    this.actionError = null;
    try {
      this.report(pause ? await pauseSync() : await resumeSync());
    } catch (err) {
      input.checked = !pause;
      this.actionError = reduceError(err);
    } finally {
      this.busy = false;
    }
  }

  async handleStop(): Promise<void> {
    this.stopping = true;
    this.actionError = null;
    try {
      this.report(await stopSync());
    } catch (err) {
      this.actionError = reduceError(err);
    } finally {
      this.stopping = false;
    }
  }
}
