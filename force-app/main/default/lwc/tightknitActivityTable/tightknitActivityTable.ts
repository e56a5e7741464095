import { LightningElement, api } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { formatLabel } from 'c/tightknitLdsUtils';
import { activityColumns, activityTableRows, pagerState } from 'c/tightknitTableUtils';
import type { ActivityPage, SortDirection, SortState } from 'c/tightknitTableUtils';
import previousLabel from '@salesforce/label/c.Tightknit_Previous';
import nextLabel from '@salesforce/label/c.Tightknit_Next';
import pageNumberLabel from '@salesforce/label/c.Tightknit_Page_Number';
import viewLabel from '@salesforce/label/c.Tightknit_View';
import occurredLabel from '@salesforce/label/c.Tightknit_Col_Occurred';
import typeLabel from '@salesforce/label/c.Tightknit_Col_Type';
import summaryLabel from '@salesforce/label/c.Tightknit_Col_Summary';
import channelLabel from '@salesforce/label/c.Tightknit_Col_Channel';

/**
 * One page of activities in a sortable datatable with a previous/next pager, for the activity logs.
 * The parent owns the page number and the sort (it loads the pages, and a sort outlives a page) and
 * hears about changes through `sortchange` ({ fieldName, direction }) and `pagechange`
 * ({ pageNumber }). The View button opens the Activity record here.
 */
export default class TightknitActivityTable extends NavigationMixin(LightningElement) {
  /** The loaded page as the controller returns it; undefined until the parent has one. */
  @api page?: ActivityPage;
  /** flexipageRegionWidth of the record page: SMALL shows fewer columns. */
  @api regionWidth?: string;
  /** Sorting within the page; newest first unless the parent says otherwise. */
  @api sort: SortState = { fieldName: 'occurredAt', direction: 'desc' };
  /** The page the parent asked for (shown while it loads). */
  @api pageNumber = 1;
  /** Leaves out the table (not the pager) while there are no rows; the parent says why instead. */
  @api hideEmptyTable = false;

  readonly labels = {
    previous: previousLabel,
    next: nextLabel,
  };

  get columns() {
    return activityColumns(
      { occurred: occurredLabel, type: typeLabel, summary: summaryLabel, channel: channelLabel, view: viewLabel },
      this.regionWidth,
    );
  }

  get tableRows() {
    return activityTableRows(this.page?.rows ?? [], this.sort, viewLabel);
  }

  get showsTable(): boolean {
    return !this.hideEmptyTable || this.tableRows.length > 0;
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

  handleSort(event: CustomEvent<{ fieldName: string; sortDirection: SortDirection }>): void {
    const sort: SortState = { fieldName: event.detail.fieldName, direction: event.detail.sortDirection };
    this.dispatchEvent(new CustomEvent('sortchange', { detail: sort }));
  }

  handlePrevious(): void {
    if (this.pager.canGoBack) {
      this.changePage(this.pageNumber - 1);
    }
  }

  handleNext(): void {
    if (this.pager.canGoForward) {
      this.changePage(this.pageNumber + 1);
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

  private changePage(pageNumber: number): void {
    this.dispatchEvent(new CustomEvent('pagechange', { detail: { pageNumber } }));
  }
}
