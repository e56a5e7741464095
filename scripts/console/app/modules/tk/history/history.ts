import { LightningElement, api } from 'lwc';
import { listRuns } from 'tk/api';
import type { RunView } from 'tk/contract';
import { reduceError, type ErrorInfo } from 'tk/errors';
import { LABELS } from 'tk/labels';
import { SUMMARY_COLUMNS, historyRows, runKey } from './historyModel';

/** Sync History: the runs, newest first; a row expands to its summary; failed runs link to Investigate. */
export default class History extends LightningElement {
  static renderMode = 'light' as const;
  labels = LABELS;
  summaryColumns = SUMMARY_COLUMNS;
  runs: RunView[] = [];
  loading = true;
  error: ErrorInfo | null = null;
  expanded = new Set<number>();
  private lastKey = '';
  private lastRunValue: RunView | null = null;
  private ready = false;

  /** The status's last run: when it changes, the table reloads. */
  @api
  get lastRun(): RunView | null {
    return this.lastRunValue;
  }
  set lastRun(value: RunView | null) {
    this.lastRunValue = value;
    const key = runKey(value);
    if (key === this.lastKey) return;
    this.lastKey = key;
    if (this.ready) this.load();
  }

  connectedCallback(): void {
    this.ready = true;
    this.load();
  }

  get rows() {
    return historyRows(this.runs, this.expanded);
  }

  get isEmpty(): boolean {
    return !this.loading && !this.error && this.runs.length === 0;
  }

  get hasRuns(): boolean {
    return this.runs.length > 0;
  }

  load(): void {
    listRuns(50).then(
      (runs) => {
        this.runs = runs;
        this.error = null;
        this.loading = false;
      },
      (err: unknown) => {
        this.error = reduceError(err);
        this.loading = false;
      },
    );
  }

  handleRefresh(): void {
    this.load();
  }

  handleExpand(event: Event): void {
    const id = Number((event.currentTarget as HTMLElement).dataset.run);
    const next = new Set(this.expanded);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    this.expanded = next;
  }
}
