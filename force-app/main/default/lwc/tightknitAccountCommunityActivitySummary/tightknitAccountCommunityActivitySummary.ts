import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getSummary from '@salesforce/apex/TightknitAccountActivitySummaryController.getSummary';
import { formatLabel } from 'c/tightknitLdsUtils';
import { initialSort, sortSummaryRows, summaryColumns, totalsText } from './accountSummaryModel';
import titleLabel from '@salesforce/label/c.Tightknit_Account_Summary_Title';
import emptyLabel from '@salesforce/label/c.Tightknit_Account_Summary_Empty';
import emptyReasonLabel from '@salesforce/label/c.Tightknit_Account_Summary_Empty_Reason';
import totalsLabel from '@salesforce/label/c.Tightknit_Account_Totals';
import truncatedLabel from '@salesforce/label/c.Tightknit_Account_Truncated';
import accessHintLabel from '@salesforce/label/c.Tightknit_Access_Hint';
import loadingLabel from '@salesforce/label/c.Tightknit_Loading';
import contactLabel from '@salesforce/label/c.Tightknit_Col_Contact';
import communityLabel from '@salesforce/label/c.Tightknit_Col_Community';
import last30Label from '@salesforce/label/c.Tightknit_Col_Last_30';
import last90Label from '@salesforce/label/c.Tightknit_Col_Last_90';
import allTimeLabel from '@salesforce/label/c.Tightknit_Col_All_Time';
import lastActiveLabel from '@salesforce/label/c.Tightknit_Col_Last_Active';
import levelLabel from '@salesforce/label/c.Tightknit_Col_Level';

/**
 * Account record page: the Account's Contacts who are community members, their activity over 30 days,
 * 90 days and all time, last activity and engagement level, with totals for the Account.
 */
export default class TightknitAccountCommunityActivitySummary extends NavigationMixin(LightningElement) {
  @api recordId?: string;
  /** Set by Lightning App Builder: SMALL in a sidebar, MEDIUM or LARGE in a main column. */
  @api flexipageRegionWidth?: string;
  /** Card title (App Builder); defaults to Community Engagement. */
  @api cardTitle?: string;
  /** Initial sort column (App Builder): one of accountSummaryModel's SORT_FIELDS. */
  @api defaultSortBy?: string;

  summary?: import('./accountSummaryModel').AccountSummary;
  error?: unknown;
  userSort?: import('c/tightknitTableUtils').SortState;

  readonly labels = {
    empty: emptyLabel,
    emptyReason: emptyReasonLabel,
    accessHint: accessHintLabel,
    loading: loadingLabel,
  };

  @wire(getSummary, { accountId: '$recordId' })
  wiredSummary({ data, error }: { data?: import('./accountSummaryModel').AccountSummary; error?: unknown }): void {
    if (data) {
      this.summary = data;
      this.error = undefined;
    } else if (error) {
      this.error = error;
      this.summary = undefined;
    }
  }

  get title(): string {
    return this.cardTitle || titleLabel;
  }

  get isLoading(): boolean {
    return !this.summary && !this.error;
  }

  get isEmpty(): boolean {
    return !!this.summary && this.summary.rows.length === 0;
  }

  get sort(): import('c/tightknitTableUtils').SortState {
    return this.userSort ?? initialSort(this.defaultSortBy);
  }

  get columns() {
    return summaryColumns(
      {
        contact: contactLabel,
        community: communityLabel,
        last30: last30Label,
        last90: last90Label,
        allTime: allTimeLabel,
        lastActive: lastActiveLabel,
        level: levelLabel,
      },
      this.flexipageRegionWidth,
    );
  }

  get rows() {
    return this.summary ? sortSummaryRows(this.summary.rows, this.sort) : [];
  }

  get totals(): string {
    return this.summary ? totalsText(this.summary, totalsLabel) : '';
  }

  get truncatedNote(): string {
    return this.summary?.truncated ? formatLabel(truncatedLabel, this.summary.maxMembers) : '';
  }

  handleSort(event: CustomEvent<{ fieldName: string; sortDirection: 'asc' | 'desc' }>): void {
    this.userSort = { fieldName: event.detail.fieldName, direction: event.detail.sortDirection };
  }

  handleRowAction(event: CustomEvent<{ action: { name: string }; row: { contactId: string } }>): void {
    if (event.detail.action.name === 'open_contact') {
      this[NavigationMixin.Navigate]({
        type: 'standard__recordPage',
        attributes: { recordId: event.detail.row.contactId, objectApiName: 'Contact', actionName: 'view' },
      });
    }
  }
}
