import { LightningElement, api, wire } from 'lwc';
import getActivities from '@salesforce/apex/TightknitMemberActivityLogController.getActivities';
import titleLabel from '@salesforce/label/c.Tightknit_Member_Log_Title';
import emptyLabel from '@salesforce/label/c.Tightknit_Member_Log_Empty';
import emptyReasonLabel from '@salesforce/label/c.Tightknit_Member_Log_Empty_Reason';
import accessHintLabel from '@salesforce/label/c.Tightknit_Access_Hint';
import loadingLabel from '@salesforce/label/c.Tightknit_Loading';

/**
 * Member record page: the member's activities, newest first, paged, sortable within the page, each with a
 * View button that opens the Activity record (the table and pager are c-tightknit-activity-table).
 */
export default class TightknitMemberActivityLog extends LightningElement {
  @api recordId?: string;
  /** Set by Lightning App Builder: SMALL in a sidebar, MEDIUM or LARGE in a main column. */
  @api flexipageRegionWidth?: string;
  /** Card title (App Builder); defaults to the Member Activity label. */
  @api cardTitle?: string;
  /** Rows per page (App Builder, 5-50); the controller clamps it. */
  @api pageSize = 10;

  pageNumber = 1;
  page?: import('c/tightknitTableUtils').ActivityPage;
  error?: unknown;
  sort: import('c/tightknitTableUtils').SortState = { fieldName: 'occurredAt', direction: 'desc' };

  readonly labels = {
    empty: emptyLabel,
    emptyReason: emptyReasonLabel,
    accessHint: accessHintLabel,
    loading: loadingLabel,
  };

  @wire(getActivities, { memberId: '$recordId', pageNumber: '$pageNumber', pageSize: '$pageSize' })
  wiredActivities({ data, error }: { data?: import('c/tightknitTableUtils').ActivityPage; error?: unknown }): void {
    if (data) {
      this.page = data;
      this.error = undefined;
    } else if (error) {
      this.error = error;
      this.page = undefined;
    }
  }

  get title(): string {
    return this.cardTitle || titleLabel;
  }

  get isLoading(): boolean {
    return !this.page && !this.error;
  }

  get isEmpty(): boolean {
    return !!this.page && this.page.rows.length === 0 && this.pageNumber === 1;
  }

  handleSortChange(event: CustomEvent<import('c/tightknitTableUtils').SortState>): void {
    this.sort = event.detail;
  }

  handlePageChange(event: CustomEvent<{ pageNumber: number }>): void {
    this.pageNumber = event.detail.pageNumber;
  }
}
