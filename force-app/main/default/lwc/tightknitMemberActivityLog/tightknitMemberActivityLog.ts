import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getActivities from '@salesforce/apex/TightknitMemberActivityLogController.getActivities';
import { formatLabel } from 'c/tightknitLdsUtils';
import { activityColumns, activityTableRows, pagerState } from 'c/tightknitTableUtils';
import titleLabel from '@salesforce/label/c.Tightknit_Member_Log_Title';
import emptyLabel from '@salesforce/label/c.Tightknit_Member_Log_Empty';
import emptyReasonLabel from '@salesforce/label/c.Tightknit_Member_Log_Empty_Reason';
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
 * Member record page: the member's activities, newest first, paged, sortable within the page, each with a
 * View button that opens the Activity record.
 */
export default class TightknitMemberActivityLog extends NavigationMixin(LightningElement) {
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
    previous: previousLabel,
    next: nextLabel,
  };

  get columns() {
    return activityColumns(
      { occurred: occurredLabel, type: typeLabel, summary: summaryLabel, channel: channelLabel, view: viewLabel },
      this.flexipageRegionWidth,
    );
  }

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

  get rows() {
    return this.page ? activityTableRows(this.page.rows, this.sort, viewLabel) : [];
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

  handleSort(
    event: CustomEvent<{ fieldName: string; sortDirection: import('c/tightknitTableUtils').SortDirection }>,
  ): void {
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
