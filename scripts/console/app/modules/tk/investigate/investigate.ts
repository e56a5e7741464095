import { LightningElement, api } from 'lwc';
import { getRun, retryRun } from 'tk/api';
import type { InvestigationView } from 'tk/contract';
import { reduceError, type ErrorInfo } from 'tk/errors';
import { LABELS, fill } from 'tk/labels';
import { HISTORY_HREF, SETUP_HREF } from 'tk/router';
import { JOB_COLUMNS, investigateView } from './investigateModel';

/** One run in detail: its Bulk jobs, its failed records grouped by error with cause and fix, and Retry. */
export default class Investigate extends LightningElement {
  static renderMode = 'light' as const;
  labels = LABELS;
  jobColumns = JOB_COLUMNS;
  historyHref = HISTORY_HREF;
  setupHref = SETUP_HREF;
  data: InvestigationView | null = null;
  loadError: ErrorInfo | null = null;
  retrying = false;
  retryError: ErrorInfo | null = null;
  retryStarted = false;
  private currentRunId = 0;

  @api
  get runId(): number {
    return this.currentRunId;
  }
  set runId(value: number) {
    const id = Number(value);
    if (id === this.currentRunId) return;
    this.currentRunId = id;
    this.data = null;
    this.retryStarted = false;
    this.retryError = null;
    this.load();
  }

  get view() {
    return this.data ? investigateView(this.data) : null;
  }

  get loading(): boolean {
    return !this.data && !this.loadError;
  }

  get retryLabel(): string {
    return this.retrying ? LABELS.investigate.retrying : LABELS.investigate.retry;
  }

  get retryStartedText(): string {
    return fill(LABELS.investigate.retryStarted, { id: this.currentRunId });
  }

  get noErrors(): boolean {
    return !!this.data && this.data.errors.length === 0;
  }

  get noHeldBack(): boolean {
    return !!this.data && this.data.heldBack.length === 0;
  }

  get noEvents(): boolean {
    return !!this.data && this.data.events.length === 0;
  }

  load(): void {
    const id = this.currentRunId;
    this.loadError = null;
    getRun(id).then(
      (data) => {
        if (id === this.currentRunId) this.data = data;
      },
      (err: unknown) => {
        if (id === this.currentRunId) this.loadError = reduceError(err);
      },
    );
  }

  async handleRetry(): Promise<void> {
    if (this.retrying) return;
    this.retrying = true;
    this.retryError = null;
    try {
      const status = await retryRun(this.currentRunId);
      this.retryStarted = true;
      this.dispatchEvent(new CustomEvent('statuschange', { detail: status }));
    } catch (err) {
      this.retryError = reduceError(err);
    } finally {
      this.retrying = false;
    }
  }
}
