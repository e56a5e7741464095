import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getStudioLinks from '@salesforce/apex/TightknitViewInStudioController.getStudioLinks';
import { studioButtons } from './studioUrl';
import viewLabel from '@salesforce/label/c.Tightknit_View_In_Studio';
import viewWithCommunityLabel from '@salesforce/label/c.Tightknit_View_In_Studio_Community';
import unavailableLabel from '@salesforce/label/c.Tightknit_Studio_Unavailable';
import unavailableReasonLabel from '@salesforce/label/c.Tightknit_Studio_Unavailable_Reason';
import accessHintLabel from '@salesforce/label/c.Tightknit_Access_Hint';
import loadingLabel from '@salesforce/label/c.Tightknit_Loading';

/**
 * Member and Contact record pages: a button that opens the member's profile in the Tightknit admin
 * studio (one button per community when a Contact has several members).
 */
export default class TightknitViewInStudioButton extends NavigationMixin(LightningElement) {
  @api recordId?: string;
  /** Button label (App Builder); defaults to View in Tightknit. */
  @api buttonLabel?: string;
  /** Button look (App Builder): neutral, brand or outline-brand. */
  @api variant = 'neutral';

  links?: import('./studioUrl').StudioLink[];
  error?: unknown;

  readonly labels = {
    unavailable: unavailableLabel,
    unavailableReason: unavailableReasonLabel,
    accessHint: accessHintLabel,
    loading: loadingLabel,
  };

  @wire(getStudioLinks, { recordId: '$recordId' })
  wiredLinks({ data, error }: { data?: import('./studioUrl').StudioLink[]; error?: unknown }): void {
    if (data) {
      this.links = data;
      this.error = undefined;
    } else if (error) {
      this.error = error;
      this.links = undefined;
    }
  }

  get isLoading(): boolean {
    return !this.links && !this.error;
  }

  get buttons() {
    return studioButtons(this.links ?? [], this.buttonLabel || viewLabel, viewWithCommunityLabel);
  }

  get isUnavailable(): boolean {
    return !!this.links && this.buttons.length === 0;
  }

  get buttonVariant(): string {
    return ['neutral', 'brand', 'outline-brand'].includes(this.variant) ? this.variant : 'neutral';
  }

  handleOpen(event: Event): void {
    const memberId = (event.currentTarget as HTMLElement).dataset.memberId;
    const button = this.buttons.find((candidate) => candidate.memberId === memberId);
    if (button) {
      this[NavigationMixin.Navigate]({ type: 'standard__webPage', attributes: { url: button.url } });
    }
  }
}
