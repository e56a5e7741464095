import { LightningElement, api } from 'lwc';
import { startSync } from 'tk/api';
import type { ConfigView, ConnectionView, StoreView } from 'tk/contract';
import { reduceError, type ErrorInfo } from 'tk/errors';
import { LABELS } from 'tk/labels';
import { configRows, connectionRows, planText } from './reviewModel';

/** The review-and-start dialog: read-only settings, the plan, Confirm starts the backfill. */
export default class Review extends LightningElement {
  static renderMode = 'light' as const;
  labels = LABELS;
  @api config: ConfigView | null = null;
  @api connection: ConnectionView | null = null;
  @api store: StoreView | null = null;
  starting = false;
  startError: ErrorInfo | null = null;

  get connectionRows() {
    return connectionRows(this.connection);
  }

  get configRows() {
    return this.config ? configRows(this.config) : [];
  }

  get plan(): string {
    return this.config && this.store ? planText(this.config, this.store) : '';
  }

  get confirmLabel(): string {
    return this.starting ? LABELS.review.starting : LABELS.review.confirm;
  }

  handleCancel(): void {
    this.dispatchEvent(new CustomEvent('close'));
  }

  async handleConfirm(): Promise<void> {
    if (this.starting) return;
    this.starting = true;
    this.startError = null;
    try {
      const status = await startSync({});
      this.dispatchEvent(new CustomEvent('started', { detail: status }));
    } catch (err) {
      this.startError = reduceError(err);
    } finally {
      this.starting = false;
    }
  }
}
