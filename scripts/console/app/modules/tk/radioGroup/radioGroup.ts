import { LightningElement, api } from 'lwc';

/** One choice of a radio group: the input's id (its label's `for`) and data-id (tests find it by that). */
export interface RadioOption {
  value: string;
  label: string;
  checked: boolean;
  inputId: string;
  dataId: string;
}

/**
 * A set of SLDS radio buttons in a fieldset: the legend, one input a choice, and a help line every
 * input points at. The parent keeps which one is checked; this fires `valuechange` with
 * `{ name, value }` when the user picks one.
 */
export default class RadioGroup extends LightningElement {
  static renderMode = 'light' as const;

  @api legend = '';
  /** The inputs' `name`; the help line's id is `<name>-help` unless `helpId` says otherwise. */
  @api name = '';
  @api options: RadioOption[] = [];
  @api help = '';
  @api helpId = '';
  /** The help line's data-id, if tests look for it. */
  @api helpDataId: string | null = null;
  /** The help line's classes: the page turns it red when the chosen value cannot work yet. */
  @api helpClass = 'tk-help slds-text-color_weak';
  /** `row`: the choices side by side; `column`: one under the other. */
  @api layout: 'row' | 'column' = 'row';
  /** Classes on the fieldset besides `slds-form-element` (its margins). */
  @api fieldClass = '';

  get fieldsetClass(): string {
    return ['slds-form-element', this.fieldClass].filter(Boolean).join(' ');
  }

  get controlClass(): string {
    return `slds-form-element__control ${this.layout === 'column' ? 'tk-radio-column' : 'tk-radio-row'}`;
  }

  get optionClass(): string {
    return this.layout === 'column' ? 'slds-radio' : 'slds-radio slds-m-right_medium';
  }

  get describedBy(): string {
    return this.helpId || `${this.name}-help`;
  }

  handleChange(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.dispatchEvent(new CustomEvent('valuechange', { detail: { name: this.name, value } }));
  }
}
