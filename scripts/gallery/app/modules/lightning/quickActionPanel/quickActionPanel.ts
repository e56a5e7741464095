import { LightningElement, api } from 'lwc';

/**
 * lightning-quick-action-panel for the gallery (the open-source base components do not ship it): the
 * platform's screen-action layout — a header with `header`, the default slot as the body, and the
 * `footer` slot.
 */
export default class QuickActionPanel extends LightningElement {
  @api header = '';
}
