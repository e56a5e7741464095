// Jest stand-in for lightning/platformShowToastEvent: a plain bubbling, composed CustomEvent that
// tests can listen for as 'lightning__showtoast'.
export const SHOW_TOAST_EVENT_NAME = 'lightning__showtoast';

export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super(SHOW_TOAST_EVENT_NAME, { composed: true, cancelable: true, bubbles: true, detail: toast });
  }
}
