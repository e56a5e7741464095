import { LightningElement, api } from 'lwc';
import { CloseActionScreenEvent } from 'lightning/actions';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import getMemberLink from '@salesforce/apex/TightknitLinkContactController.getMemberLink';
import linkContact from '@salesforce/apex/TightknitLinkContactController.linkContact';
import unlockContactLink from '@salesforce/apex/TightknitLinkContactController.unlockContactLink';
import { formatLabel } from 'c/tightknitLdsUtils';
import { labels } from './labels';
import { hasChange } from './linkContactModel';
import type { MemberLink } from './linkContactModel';

/**
 * "Link to Contact" quick action on a Community Member: pick the Contact this member is. Saving locks
 * the link (the Member trigger marks it Manual), so the sync keeps the choice; "Hand back to the sync"
 * clears the lock.
 */
export default class TightknitLinkContact extends LightningElement {
  labels = labels;

  link?: MemberLink;
  selectedContactId?: string | null;
  loading = false;
  loadError?: unknown;
  saving = false;
  saveError?: unknown;

  private currentRecordId?: string;

  // Quick actions set recordId after the component is created, so loading starts here.
  @api
  get recordId(): string | undefined {
    return this.currentRecordId;
  }
  set recordId(value: string | undefined) {
    const changed = value !== this.currentRecordId;
    this.currentRecordId = value;
    if (changed && value) {
      this.load();
    }
  }

  async load(): Promise<void> {
    this.loading = true;
    this.loadError = undefined;
    try {
      this.link = (await getMemberLink({ memberId: this.currentRecordId })) as MemberLink;
      this.selectedContactId = this.link.contactId ?? null;
    } catch (error) {
      this.loadError = error;
    } finally {
      this.loading = false;
    }
  }

  get isReady(): boolean {
    return !this.loading && !this.loadError && !!this.link;
  }

  get showLoadError(): boolean {
    return !this.loading && !!this.loadError;
  }

  get currentText(): string {
    const link = this.link;
    if (!link?.contactId) {
      return labels.notLinked;
    }
    return formatLabel(labels.current, link.contactName ?? '', link.status ?? '');
  }

  get isLocked(): boolean {
    return this.link?.locked === true;
  }

  get saveDisabled(): boolean {
    return this.saving || !hasChange(this.link, this.selectedContactId);
  }

  handleContactChange(event: CustomEvent<{ recordId: string | null }>): void {
    this.selectedContactId = event.detail.recordId ?? null;
    this.saveError = undefined;
  }

  handleCancel(): void {
    this.dispatchEvent(new CloseActionScreenEvent());
  }

  async handleSave(): Promise<void> {
    await this.write(
      () => linkContact({ memberId: this.currentRecordId, contactId: this.selectedContactId ?? null }),
      labels.saved,
    );
  }

  async handleUnlock(): Promise<void> {
    await this.write(() => unlockContactLink({ memberId: this.currentRecordId }), labels.unlocked);
  }

  private async write(call: () => Promise<unknown>, message: string): Promise<void> {
    this.saving = true;
    this.saveError = undefined;
    try {
      this.link = (await call()) as MemberLink;
      this.selectedContactId = this.link.contactId ?? null;
      if (this.currentRecordId) {
        await notifyRecordUpdateAvailable([{ recordId: this.currentRecordId }]);
      }
      this.dispatchEvent(new ShowToastEvent({ title: message, variant: 'success' }));
      this.dispatchEvent(new CloseActionScreenEvent());
    } catch (error) {
      this.saveError = error;
    } finally {
      this.saving = false;
    }
  }
}
