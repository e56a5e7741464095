import { LightningElement } from 'lwc';
import { rematch } from 'tk/api';
import { reduceError, type ErrorInfo } from 'tk/errors';
import { LABELS } from 'tk/labels';

/**
 * Shown after a save changed the match rules while members are already in Salesforce: why their links
 * stay as they are, and the button that starts the re-match. Fires `statuschange` with the server's
 * status once the run started.
 */
export default class RematchOffer extends LightningElement {
  static renderMode = 'light' as const;
  labels = LABELS;
  starting = false;
  started = false;
  error: ErrorInfo | null = null;

  get buttonLabel(): string {
    return this.starting ? LABELS.configure.rematching : LABELS.configure.rematch;
  }

  async handleRematch(): Promise<void> {
    if (this.starting) return;
    this.starting = true;
    this.error = null;
    try {
      const status = await rematch();
      this.started = true;
      this.dispatchEvent(new CustomEvent('statuschange', { detail: status }));
    } catch (err) {
      this.error = reduceError(err);
    } finally {
      this.starting = false;
    }
  }
}
