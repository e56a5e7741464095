import { LightningElement, api } from 'lwc';
import { checkRows } from 'tk/checks';
import type { CheckReportView } from 'tk/contract';
import { LABELS } from 'tk/labels';

/** A check report: its headline, then each check with its status, detail and (when not passed) its fix. */
export default class CheckList extends LightningElement {
  static renderMode = 'light' as const;
  labels = LABELS;
  @api report: CheckReportView | null = null;
  @api headline = '';
  /** The list's data-id. */
  @api listId = 'check-list';

  get checks() {
    return this.report ? checkRows(this.report) : [];
  }
}
