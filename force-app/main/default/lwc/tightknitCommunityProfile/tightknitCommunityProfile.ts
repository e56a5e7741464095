import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getProfiles from '@salesforce/apex/TightknitCommunityProfileController.getProfiles';
import { profileCards } from './profileModel';
import titleLabel from '@salesforce/label/c.Tightknit_Profile_Title';
import emptyLabel from '@salesforce/label/c.Tightknit_Profile_Empty';
import emptyReasonLabel from '@salesforce/label/c.Tightknit_Profile_Empty_Reason';
import accessHintLabel from '@salesforce/label/c.Tightknit_Access_Hint';
import loadingLabel from '@salesforce/label/c.Tightknit_Loading';
import communityLabel from '@salesforce/label/c.Tightknit_Col_Community';
import joinedLabel from '@salesforce/label/c.Tightknit_Field_Joined';
import lastActiveLabel from '@salesforce/label/c.Tightknit_Col_Last_Active';
import levelLabel from '@salesforce/label/c.Tightknit_Col_Level';
import activityCountLabel from '@salesforce/label/c.Tightknit_Col_Activity_Count';
import linkedLabel from '@salesforce/label/c.Tightknit_Linked_By_Lookup';
import byEmailLabel from '@salesforce/label/c.Tightknit_Linked_By_Email';
import avatarLabel from '@salesforce/label/c.Tightknit_Avatar_Alt';

/**
 * Contact record page: the Tightknit profile(s) linked to the Contact or sharing its email — community,
 * name, title, avatar, joined, last active, engagement level.
 */
export default class TightknitCommunityProfile extends NavigationMixin(LightningElement) {
  @api recordId?: string;
  /** Card title (App Builder); defaults to Community Profile. */
  @api cardTitle?: string;
  /** Show only members linked to the Contact, not those that merely share its email (App Builder). */
  @api hideEmailMatches = false;

  profiles?: import('./profileModel').Profile[];
  error?: unknown;

  readonly labels = {
    empty: emptyLabel,
    emptyReason: emptyReasonLabel,
    accessHint: accessHintLabel,
    loading: loadingLabel,
    community: communityLabel,
    joined: joinedLabel,
    lastActive: lastActiveLabel,
    level: levelLabel,
    activityCount: activityCountLabel,
  };

  @wire(getProfiles, { contactId: '$recordId' })
  wiredProfiles({ data, error }: { data?: import('./profileModel').Profile[]; error?: unknown }): void {
    if (data) {
      this.profiles = data;
      this.error = undefined;
    } else if (error) {
      this.error = error;
      this.profiles = undefined;
    }
  }

  get title(): string {
    return this.cardTitle || titleLabel;
  }

  get isLoading(): boolean {
    return !this.profiles && !this.error;
  }

  get cards() {
    return profileCards(this.profiles ?? [], this.hideEmailMatches, {
      linked: linkedLabel,
      byEmail: byEmailLabel,
      avatar: avatarLabel,
    });
  }

  get isEmpty(): boolean {
    return !!this.profiles && this.cards.length === 0;
  }

  handleOpenRecord(event: Event): void {
    const recordId = (event.currentTarget as HTMLElement).dataset.recordId;
    if (recordId) {
      this[NavigationMixin.Navigate]({ type: 'standard__recordPage', attributes: { recordId, actionName: 'view' } });
    }
  }
}
