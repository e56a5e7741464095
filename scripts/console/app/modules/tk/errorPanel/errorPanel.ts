import { LightningElement, api } from 'lwc';
import type { ErrorInfo } from 'tk/errors';
import { LABELS } from 'tk/labels';

/** One error, the console's way: the message, then what the user can do, in an alert region. */
export default class ErrorPanel extends LightningElement {
  static renderMode = 'light' as const;
  @api error: ErrorInfo | null = null;
  /** The data-id of the alert box (the e2e test and the parent's tests find it by that). */
  @api panelId = 'error';
  @api heading = '';
  labels = LABELS;

  get hasActions(): boolean {
    return !!this.error && this.error.actions.length > 0;
  }

  get actionItems(): Array<{ key: string; text: string }> {
    return (this.error?.actions ?? []).map((text, i) => ({ key: `a${i}`, text }));
  }
}
