import { LightningElement, api } from 'lwc';
import { LABELS } from 'tk/labels';

/**
 * One labelled input with its help line and its error (the SLDS form-element shape every form of the
 * console uses). The parent keeps the value and the validation; this fires `valuechange` with
 * `{ name, value }` on every keystroke.
 */
export default class FormField extends LightningElement {
  static renderMode = 'light' as const;
  labels = LABELS;

  /** What the parent calls the field; comes back in `valuechange` and names the error (`error-<name>`). */
  @api name = '';
  @api label = '';
  @api value = '';
  @api type = 'text';
  /** The input's id (the label's `for`; the help and error ids derive from it). */
  @api inputId = '';
  /** The input's data-id (tests find the input by it). */
  @api controlId = '';
  @api help = '';
  @api error = '';
  @api required = false;
  @api placeholder: string | null = null;
  @api autocomplete: string | null = null;
  @api min: string | null = null;
  @api step: string | null = null;
  /** Classes on the form element besides `slds-form-element` and `slds-has-error`. */
  @api fieldClass = '';

  get className(): string {
    return ['slds-form-element', this.error ? 'slds-has-error' : '', this.fieldClass].filter(Boolean).join(' ');
  }

  get helpId(): string {
    return `${this.inputId}-help`;
  }

  get errorId(): string {
    return `${this.inputId}-error`;
  }

  get errorDataId(): string {
    return `error-${this.name}`;
  }

  get describedBy(): string | null {
    return [this.help ? this.helpId : '', this.error ? this.errorId : ''].filter(Boolean).join(' ') || null;
  }

  get invalid(): string | null {
    return this.error ? 'true' : null;
  }

  handleInput(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.dispatchEvent(new CustomEvent('valuechange', { detail: { name: this.name, value } }));
  }
}
