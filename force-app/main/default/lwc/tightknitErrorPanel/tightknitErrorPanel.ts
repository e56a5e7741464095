import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/tightknitLdsUtils';
import showDetailsLabel from '@salesforce/label/c.Tightknit_Error_Show_Details';
import defaultMessageLabel from '@salesforce/label/c.Tightknit_Error_Default';

/**
 * Shows a friendly sentence for a failed load, with the reduced technical messages one click away.
 * `errors` takes anything reduceErrors understands (an Apex error, a list of them, a string).
 */
export default class TightknitErrorPanel extends LightningElement {
  @api friendlyMessage?: string;
  @api errors?: unknown;

  showDetails = false;

  get headline(): string {
    return this.friendlyMessage || defaultMessageLabel;
  }

  get messages(): string[] {
    return reduceErrors(this.errors);
  }

  get hasMessages(): boolean {
    return this.messages.length > 0;
  }

  get detailsLabel(): string {
    return showDetailsLabel;
  }

  get detailsExpanded(): string {
    return this.showDetails ? 'true' : 'false';
  }

  handleToggleDetails(): void {
    this.showDetails = !this.showDetails;
  }
}
