import { LightningElement, api } from 'lwc';
import { LABELS } from 'tk/labels';
import { focusableIn, nextFocusIndex } from './focusTrap';

let counter = 0;

/**
 * An SLDS modal dialog: focus moves in when it opens, Tab and Shift+Tab stay inside, Escape closes
 * it (a `close` event), and focus returns to whatever had it before. Content goes in the default
 * slot, buttons in the `footer` slot.
 */
export default class Modal extends LightningElement {
  static renderMode = 'light' as const;
  @api heading = '';
  /** The data-id of the dialog element. */
  @api dialogId = 'modal';
  /** While true (a request is under way), Escape and the close button do nothing. */
  @api busy = false;
  labels = LABELS;
  headingId = `tk-modal-heading-${++counter}`;
  private returnFocus: HTMLElement | null = null;
  private focused = false;

  connectedCallback(): void {
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }

  renderedCallback(): void {
    if (this.focused) return;
    this.focused = true;
    const dialog = this.dialog;
    if (!dialog) return;
    // Into the content if it has a control, else the first footer button (Cancel: the safe choice).
    const content = dialog.querySelector('.slds-modal__content');
    const footer = dialog.querySelector('.slds-modal__footer');
    const first = (content && focusableIn(content)[0]) ?? (footer && focusableIn(footer)[0]) ?? dialog;
    first.focus();
  }

  disconnectedCallback(): void {
    if (this.returnFocus && this.returnFocus.isConnected) this.returnFocus.focus();
  }

  get dialog(): HTMLElement | null {
    return this.querySelector('section[role="dialog"]');
  }

  handleKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.requestClose();
      return;
    }
    if (event.key !== 'Tab' || !this.dialog) return;
    const items = focusableIn(this.dialog);
    const current = items.indexOf(document.activeElement as HTMLElement);
    const next = nextFocusIndex(current, items.length, event.shiftKey);
    if (next === null) return;
    event.preventDefault();
    items[next].focus();
  }

  handleClose(): void {
    this.requestClose();
  }

  private requestClose(): void {
    if (!this.busy) this.dispatchEvent(new CustomEvent('close'));
  }
}
