import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getCommunities from '@salesforce/apex/TightknitContactActivityLogController.getCommunities';
import getActivities from '@salesforce/apex/TightknitContactActivityLogController.getActivities';
import { formatLabel } from 'c/tightknitLdsUtils';
import { activityColumns, activityTableRows, pagerState } from 'c/tightknitTableUtils';
import { pickCommunity } from './contactLogModel';
import titleLabel from '@salesforce/label/c.Tightknit_Contact_Log_Title';
import contactEmptyLabel from '@salesforce/label/c.Tightknit_Contact_Log_Empty';
import leadEmptyLabel from '@salesforce/label/c.Tightknit_Lead_Log_Empty';
import emptyReasonLabel from '@salesforce/label/c.Tightknit_Contact_Log_Empty_Reason';
import accessHintLabel from '@salesforce/label/c.Tightknit_Access_Hint';
import loadingLabel from '@salesforce/label/c.Tightknit_Loading';
import previousLabel from '@salesforce/label/c.Tightknit_Previous';
import nextLabel from '@salesforce/label/c.Tightknit_Next';
import pageNumberLabel from '@salesforce/label/c.Tightknit_Page_Number';
import viewLabel from '@salesforce/label/c.Tightknit_View';
import occurredLabel from '@salesforce/label/c.Tightknit_Col_Occurred';
import typeLabel from '@salesforce/label/c.Tightknit_Col_Type';
import summaryLabel from '@salesforce/label/c.Tightknit_Col_Summary';
import channelLabel from '@salesforce/label/c.Tightknit_Col_Channel';

/**
 * Contact and Lead record pages: recent activities of the person's community members, one tab per
 * community, one page at a time.
 */
export default class TightknitContactMemberActivityLog extends NavigationMixin(LightningElement) {
  @api recordId?: string;
  /** Set by Lightning App Builder: SMALL in a sidebar, MEDIUM or LARGE in a main column. */
  @api flexipageRegionWidth?: string;
  /** Set by the record page: 'Contact' or 'Lead'. */
  @api objectApiName?: string;
  /** Card title (App Builder); defaults to Community Activity. */
  @api cardTitle?: string;
  /** Rows per page (App Builder, 5-50); the controller clamps it. */
  @api pageSize = 10;

  communities?: import('./contactLogModel').CommunityTab[];
  selectedCommunityId?: string;
  pageNumber = 1;
  page?: import('c/tightknitTableUtils').ActivityPage;
  communitiesError?: unknown;
  activitiesError?: unknown;
  sort: import('c/tightknitTableUtils').SortState = { fieldName: 'occurredAt', direction: 'desc' };

  readonly labels = {
    emptyReason: emptyReasonLabel,
    accessHint: accessHintLabel,
    loading: loadingLabel,
    previous: previousLabel,
    next: nextLabel,
  };

  get columns() {
    return activityColumns(
      { occurred: occurredLabel, type: typeLabel, summary: summaryLabel, channel: channelLabel, view: viewLabel },
      this.flexipageRegionWidth,
    );
  }

  @wire(getCommunities, { recordId: '$recordId' })
  wiredCommunities({ data, error }: { data?: import('./contactLogModel').CommunityTab[]; error?: unknown }): void {
    if (data) {
      this.communities = data;
      this.communitiesError = undefined;
      this.selectedCommunityId = pickCommunity(data, this.selectedCommunityId);
    } else if (error) {
      this.communitiesError = error;
      this.communities = undefined;
    }
  }

  @wire(getActivities, {
    recordId: '$recordId',
    communityId: '$selectedCommunityId',
    pageNumber: '$pageNumber',
    pageSize: '$pageSize',
  })
  wiredActivities({ data, error }: { data?: import('c/tightknitTableUtils').ActivityPage; error?: unknown }): void {
    if (data) {
      this.page = data;
      this.activitiesError = undefined;
    } else if (error) {
      this.activitiesError = error;
      this.page = undefined;
    }
  }

  get title(): string {
    return this.cardTitle || titleLabel;
  }

  get error(): unknown {
    return this.communitiesError || this.activitiesError;
  }

  get isLoading(): boolean {
    return !this.communities && !this.error;
  }

  get isEmpty(): boolean {
    return !!this.communities && this.communities.length === 0;
  }

  get emptyMessage(): string {
    return this.objectApiName === 'Lead' ? leadEmptyLabel : contactEmptyLabel;
  }

  get tabs() {
    return (this.communities ?? []).map((tab) => ({
      ...tab,
      isActive: tab.communityId === this.selectedCommunityId,
    }));
  }

  get isPageLoading(): boolean {
    return !this.page && !this.activitiesError;
  }

  get rows() {
    return this.page ? activityTableRows(this.page.rows, this.sort, viewLabel) : [];
  }

  get hasRows(): boolean {
    return this.rows.length > 0;
  }

  get pager() {
    return pagerState(this.pageNumber, !!this.page?.hasMore);
  }

  get pageText(): string {
    return formatLabel(pageNumberLabel, this.pageNumber);
  }

  get previousDisabled(): boolean {
    return !this.pager.canGoBack;
  }

  get nextDisabled(): boolean {
    return !this.pager.canGoForward;
  }

  handleTabActive(event: Event): void {
    const value = (event.target as HTMLElement | null)?.dataset.communityId;
    if (value && value !== this.selectedCommunityId) {
      this.selectedCommunityId = value;
      this.pageNumber = 1;
      this.page = undefined;
      this.activitiesError = undefined;
    }
  }

  handleSort(event: CustomEvent<{ fieldName: string; sortDirection: 'asc' | 'desc' }>): void {
    this.sort = { fieldName: event.detail.fieldName, direction: event.detail.sortDirection };
  }

  handlePrevious(): void {
    if (this.pager.canGoBack) {
      this.pageNumber -= 1;
    }
  }

  handleNext(): void {
    if (this.pager.canGoForward) {
      this.pageNumber += 1;
    }
  }

  handleRowAction(event: CustomEvent<{ action: { name: string }; row: { id: string } }>): void {
    if (event.detail.action.name === 'view') {
      this[NavigationMixin.Navigate]({
        type: 'standard__recordPage',
        attributes: { recordId: event.detail.row.id, actionName: 'view' },
      });
    }
  }
}
