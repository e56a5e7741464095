import { LightningElement, api } from 'lwc';

/** One input of a form, as a page's model computes it (each becomes a tk-form-field). */
export interface FieldView {
  name: string;
  label: string;
  value: string;
  type: string;
  /** The input's id (the label's `for`). */
  inputId: string;
  /** The input's data-id (tests find the input by it). */
  dataId: string;
  help: string;
  error: string;
  required?: boolean;
  placeholder?: string | null;
  autocomplete?: string | null;
}

/**
 * The inputs of a form, one tk-form-field each, with the same spacing. Fires `valuechange` with
 * `{ name, value }` on every keystroke in any of them (the page keeps the values and the errors).
 */
export default class FieldList extends LightningElement {
  static renderMode = 'light' as const;

  @api fields: FieldView[] = [];
  /** Classes on each form element besides `slds-form-element` and `slds-has-error`. */
  @api fieldClass = 'slds-m-bottom_small';

  handleValue(event: CustomEvent<{ name: string; value: string }>): void {
    this.dispatchEvent(new CustomEvent('valuechange', { detail: event.detail }));
  }
}
