import { LightningElement, api } from 'lwc';
import { reduceError, type ErrorInfo } from 'tk/errors';

/** The words of a disconnect; a page's group in tk/labels (LABELS.connection, LABELS.source) has them. */
export interface DisconnectTexts {
  /** The button that opens the dialog. */
  disconnect: string;
  disconnectTitle: string;
  disconnectBody: string;
  /** A second paragraph (what stays), if any. */
  disconnectKeeps?: string;
  disconnectConfirm: string;
  disconnecting: string;
  cancel: string;
}

const NO_TEXTS: DisconnectTexts = {
  disconnect: '',
  disconnectTitle: '',
  disconnectBody: '',
  disconnectConfirm: '',
  disconnecting: '',
  cancel: '',
};

/**
 * A Disconnect button and the dialog that asks first: Cancel, or confirm to run `action` (the page's
 * request). While it runs the dialog is busy; a failure shows in the dialog; on success the dialog
 * closes and fires `disconnected` with what `action` answered.
 */
export default class DisconnectDialog extends LightningElement {
  static renderMode = 'light' as const;

  @api texts: DisconnectTexts = NO_TEXTS;
  /** The data-id of the Disconnect button. */
  @api buttonId = 'disconnect-button';
  /** Before the data-ids of the dialog and its parts: `<prefix>disconnect-dialog`, `-confirm`, `-error`. */
  @api idPrefix = '';
  /** Disconnects; the dialog waits for it. */
  @api action: () => Promise<unknown> = () => Promise.resolve(undefined);

  open = false;
  busy = false;
  error: ErrorInfo | null = null;

  get dialogId(): string {
    return `${this.idPrefix}disconnect-dialog`;
  }

  get confirmId(): string {
    return `${this.idPrefix}disconnect-confirm`;
  }

  get errorId(): string {
    return `${this.idPrefix}disconnect-error`;
  }

  get confirmLabel(): string {
    return this.busy ? this.texts.disconnecting : this.texts.disconnectConfirm;
  }

  handleOpen(): void {
    this.error = null;
    this.open = true;
  }

  handleCancel(): void {
    this.open = false;
  }

  async handleConfirm(): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const answer = await this.action();
      this.open = false;
      this.dispatchEvent(new CustomEvent('disconnected', { detail: answer }));
    } catch (err) {
      this.error = reduceError(err);
    } finally {
      this.busy = false;
    }
  }
}
