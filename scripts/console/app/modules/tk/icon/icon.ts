import { LightningElement, api } from 'lwc';

/** An SLDS utility icon from the sprite, with optional assistive text (icons never carry meaning alone). */
export default class Icon extends LightningElement {
  static renderMode = 'light' as const;
  /** Utility sprite symbol, e.g. `check`, `error`, `warning`. */
  @api name = 'info';
  /** The svg's classes: `slds-icon` + size + colour, or `slds-button__icon` inside a button. */
  @api variant = 'slds-icon slds-icon_x-small slds-icon-text-default';
  @api alternativeText = '';

  get href(): string {
    return `/assets/icons/utility-sprite/svg/symbols.svg#${this.name}`;
  }

  get svgClass(): string {
    return this.variant;
  }
}
