import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getActivity from '@salesforce/apex/TightknitActivityInfoController.getActivity';
import { formatMetadata } from './activityInfoModel';
import titleLabel from '@salesforce/label/c.Tightknit_Activity_Info_Title';
import emptyLabel from '@salesforce/label/c.Tightknit_Activity_Info_Empty';
import emptyReasonLabel from '@salesforce/label/c.Tightknit_Activity_Info_Empty_Reason';
import accessHintLabel from '@salesforce/label/c.Tightknit_Access_Hint';
import loadingLabel from '@salesforce/label/c.Tightknit_Loading';
import typeLabel from '@salesforce/label/c.Tightknit_Col_Type';
import occurredLabel from '@salesforce/label/c.Tightknit_Col_Occurred';
import summaryLabel from '@salesforce/label/c.Tightknit_Col_Summary';
import channelLabel from '@salesforce/label/c.Tightknit_Col_Channel';
import communityLabel from '@salesforce/label/c.Tightknit_Col_Community';
import initiatorLabel from '@salesforce/label/c.Tightknit_Field_Initiator';
import targetLabel from '@salesforce/label/c.Tightknit_Field_Target';
import permalinkLabel from '@salesforce/label/c.Tightknit_Field_Permalink';
import metadataLabel from '@salesforce/label/c.Tightknit_Field_Metadata';
import sourceTypeLabel from '@salesforce/label/c.Tightknit_Field_Source_Type';

/**
 * Activity record page: one activity in full — type, time, summary, channel, permalink, who did it and
 * to whom, the community, and the metadata formatted when present.
 */
export default class TightknitCommunityActivityInfo extends NavigationMixin(LightningElement) {
  @api recordId?: string;
  /** Card title (App Builder); defaults to Activity Details. */
  @api cardTitle?: string;
  /** Hide the metadata section even when the activity has metadata (App Builder). */
  @api hideMetadata = false;

  detail?: import('./activityInfoModel').ActivityDetail | null;
  error?: unknown;

  readonly labels = {
    empty: emptyLabel,
    emptyReason: emptyReasonLabel,
    accessHint: accessHintLabel,
    loading: loadingLabel,
    type: typeLabel,
    occurred: occurredLabel,
    summary: summaryLabel,
    channel: channelLabel,
    community: communityLabel,
    initiator: initiatorLabel,
    target: targetLabel,
    permalink: permalinkLabel,
    metadata: metadataLabel,
    sourceType: sourceTypeLabel,
  };

  @wire(getActivity, { activityId: '$recordId' })
  wiredActivity({
    data,
    error,
  }: {
    data?: import('./activityInfoModel').ActivityDetail | null;
    error?: unknown;
  }): void {
    if (error) {
      this.error = error;
      this.detail = undefined;
    } else if (data !== undefined) {
      // null means the activity is gone or not shared with the user: the empty state explains it.
      this.detail = data;
      this.error = undefined;
    }
  }

  get title(): string {
    return this.cardTitle || titleLabel;
  }

  get isLoading(): boolean {
    return this.detail === undefined && !this.error;
  }

  get isEmpty(): boolean {
    return this.detail === null;
  }

  get activity() {
    return this.detail?.activity;
  }

  get channel(): string {
    return this.activity?.channelName ? `#${this.activity.channelName}` : '';
  }

  get showSourceType(): boolean {
    return !!this.activity?.sourceType && this.activity.sourceType !== this.activity.type;
  }

  get metadataView() {
    return formatMetadata(this.detail?.metadata);
  }

  get hasMetadataEntries(): boolean {
    return !this.hideMetadata && this.metadataView.kind === 'entries';
  }

  get metadataEntries() {
    const view = this.metadataView;
    return view.kind === 'entries' ? view.entries : [];
  }

  get hasMetadataText(): boolean {
    return !this.hideMetadata && this.metadataView.kind === 'text';
  }

  get metadataText(): string {
    const view = this.metadataView;
    return view.kind === 'text' ? view.text : '';
  }

  handleOpenRecord(event: Event): void {
    const recordId = (event.currentTarget as HTMLElement).dataset.recordId;
    if (recordId) {
      this[NavigationMixin.Navigate]({ type: 'standard__recordPage', attributes: { recordId, actionName: 'view' } });
    }
  }
}
