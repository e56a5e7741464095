import { LightningElement, api } from 'lwc';

/** An SLDS card: a heading that names the card (aria-labelledby), then its content (the default slot). */
export default class Card extends LightningElement {
  static renderMode = 'light' as const;
  @api heading = '';
  /** The heading's id. */
  @api headingId = '';
  /** The card's data-id. */
  @api cardId = '';
}
