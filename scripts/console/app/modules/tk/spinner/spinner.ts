import { LightningElement, api } from 'lwc';
import { LABELS } from 'tk/labels';

/** A small inline SLDS spinner with a text equivalent, for buttons and loading lines. */
export default class Spinner extends LightningElement {
  static renderMode = 'light' as const;
  @api label = LABELS.common.loading;
}
