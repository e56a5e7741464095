import { LightningElement, api } from 'lwc';
import type { StatusView } from 'tk/contract';
import { LABELS } from 'tk/labels';
import { stepViews, syncStarted } from 'tk/shell';

/** The Setup tab: the Connect → Community source → Configure → Backfill path and one section per step. */
export default class Setup extends LightningElement {
  static renderMode = 'light' as const;
  labels = LABELS;
  @api status: StatusView | null = null;
  reviewOpen = false;

  get steps() {
    return this.status ? stepViews(this.status) : [];
  }

  get connected(): boolean {
    return !!this.status?.connection;
  }

  get running(): boolean {
    return !!this.status && syncStarted(this.status) && this.status.scheduler.state !== 'stopped';
  }

  get connectHeading(): string {
    return `1. ${this.connectionTitle}`;
  }

  get sourceHeading(): string {
    return `2. ${this.status?.source?.slack ? LABELS.source.connectedTitle : LABELS.source.title}`;
  }

  get configureHeading(): string {
    return `3. ${LABELS.configure.title}`;
  }

  get backfillHeading(): string {
    return `4. ${LABELS.progress.title}`;
  }

  get connectionTitle(): string {
    return this.connected ? LABELS.connection.connectedTitle : LABELS.connection.title;
  }

  handleReview(): void {
    this.reviewOpen = true;
  }

  handleReviewClose(): void {
    this.reviewOpen = false;
  }

  handleStarted(event: CustomEvent<StatusView>): void {
    this.reviewOpen = false;
    this.dispatchEvent(new CustomEvent('statuschange', { detail: event.detail }));
  }

  handleStatusChange(event: CustomEvent<StatusView>): void {
    this.dispatchEvent(new CustomEvent('statuschange', { detail: event.detail }));
  }

  /** A connect, disconnect or save changed the server's state: ask the shell for a fresh status. */
  handleRefresh(): void {
    this.dispatchEvent(new CustomEvent('refresh'));
  }
}
