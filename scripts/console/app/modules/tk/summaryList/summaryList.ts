import { LightningElement, api } from 'lwc';

/** Label / value pairs as a description list (the connection summary, the review dialog). */
export default class SummaryList extends LightningElement {
  static renderMode = 'light' as const;
  /** Each row: `key` (also its data-field), `label`, `value`. */
  @api rows: Array<{ key: string; label: string; value: string }> = [];
  /** The list's data-id. */
  @api listId = '';
}
