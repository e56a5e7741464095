import { LightningElement, api, wire } from 'lwc';
import getCommunities from '@salesforce/apex/TightknitContactActivityLogController.getCommunities';
import getActivities from '@salesforce/apex/TightknitContactActivityLogController.getActivities';
import { pickCommunity } from './contactLogModel';
import titleLabel from '@salesforce/label/c.Tightknit_Contact_Log_Title';
import contactEmptyLabel from '@salesforce/label/c.Tightknit_Contact_Log_Empty';
import leadEmptyLabel from '@salesforce/label/c.Tightknit_Lead_Log_Empty';
import emptyReasonLabel from '@salesforce/label/c.Tightknit_Contact_Log_Empty_Reason';
import accessHintLabel from '@salesforce/label/c.Tightknit_Access_Hint';
import loadingLabel from '@salesforce/label/c.Tightknit_Loading';

/**
 * Contact and Lead record pages: recent activities of the person's community members, one tab per
 * community, one page at a time (the table and pager are c-tightknit-activity-table).
 */
export default class TightknitContactMemberActivityLog extends LightningElement {
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
  };

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

  get isPageEmpty(): boolean {
    return !this.page || this.page.rows.length === 0;
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

  handleSortChange(event: CustomEvent<import('c/tightknitTableUtils').SortState>): void {
    this.sort = event.detail;
  }

  handlePageChange(event: CustomEvent<{ pageNumber: number }>): void {
    this.pageNumber = event.detail.pageNumber;
  }
}
