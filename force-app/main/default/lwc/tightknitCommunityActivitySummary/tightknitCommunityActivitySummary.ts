import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getTopMembers from '@salesforce/apex/TightknitCommunityActivitySummaryController.getTopMembers';
import { formatLabel } from 'c/tightknitLdsUtils';
import { rankedRows, windowFrom, windowOptions } from './communitySummaryModel';
import titleLabel from '@salesforce/label/c.Tightknit_Community_Summary_Title';
import emptyLabel from '@salesforce/label/c.Tightknit_Community_Summary_Empty';
import emptyReasonLabel from '@salesforce/label/c.Tightknit_Community_Summary_Empty_Reason';
import windowLabel from '@salesforce/label/c.Tightknit_Window_Label';
import windowDaysLabel from '@salesforce/label/c.Tightknit_Window_Days';
import sparklineLabel from '@salesforce/label/c.Tightknit_Sparkline_Label';
import avatarLabel from '@salesforce/label/c.Tightknit_Avatar_Alt';
import accessHintLabel from '@salesforce/label/c.Tightknit_Access_Hint';
import loadingLabel from '@salesforce/label/c.Tightknit_Loading';
import rankLabel from '@salesforce/label/c.Tightknit_Col_Rank';
import memberLabel from '@salesforce/label/c.Tightknit_Col_Member';
import countLabel from '@salesforce/label/c.Tightknit_Col_Activity_Count';
import trendLabel from '@salesforce/label/c.Tightknit_Col_Trend';

/**
 * Community record page: members ranked by activity count over a chosen window, each with an SVG
 * sparkline of weekly activity.
 */
export default class TightknitCommunityActivitySummary extends NavigationMixin(LightningElement) {
  @api recordId?: string;
  /** Set by Lightning App Builder: SMALL in a sidebar. */
  @api flexipageRegionWidth?: string;
  /** Card title (App Builder); defaults to Most Active Members. */
  @api cardTitle?: string;
  /** Window shown first (App Builder): 30, 90 or 180 days. */
  @api defaultWindow?: string;
  /** How many members to rank (App Builder, 1-25); the controller clamps it. */
  @api maxMembers = 10;

  selectedWindow?: number;
  summary?: import('./communitySummaryModel').CommunitySummary;
  error?: unknown;

  readonly labels = {
    empty: emptyLabel,
    emptyReason: emptyReasonLabel,
    window: windowLabel,
    accessHint: accessHintLabel,
    loading: loadingLabel,
    rank: rankLabel,
    member: memberLabel,
    count: countLabel,
    trend: trendLabel,
  };

  readonly windowOptions = windowOptions(windowDaysLabel);

  @wire(getTopMembers, { communityId: '$recordId', windowDays: '$windowDays', maxMembers: '$maxMembers' })
  wiredTopMembers({
    data,
    error,
  }: {
    data?: import('./communitySummaryModel').CommunitySummary;
    error?: unknown;
  }): void {
    if (data) {
      this.summary = data;
      this.error = undefined;
    } else if (error) {
      this.error = error;
      this.summary = undefined;
    }
  }

  get windowDays(): number {
    return this.selectedWindow ?? windowFrom(this.defaultWindow);
  }

  get windowValue(): string {
    return String(this.windowDays);
  }

  get title(): string {
    return this.cardTitle || titleLabel;
  }

  get isLoading(): boolean {
    return !this.summary && !this.error;
  }

  get isEmpty(): boolean {
    return !!this.summary && this.summary.members.length === 0;
  }

  get showAvatars(): boolean {
    return this.flexipageRegionWidth !== 'SMALL';
  }

  /** In a sidebar or on a phone the fixed columns shrink, so that the member's name keeps its room. */
  get tableClass(): string {
    const base = 'slds-table slds-table_bordered slds-table_cell-buffer slds-table_fixed-layout';
    return this.showAvatars ? base : `${base} tk-compact`;
  }

  get rows() {
    return rankedRows(this.summary?.members ?? [], sparklineLabel).map((row) => ({
      ...row,
      avatarAlt: formatLabel(avatarLabel, row.displayName),
    }));
  }

  handleWindowChange(event: CustomEvent<{ value: string }>): void {
    const days = windowFrom(event.detail.value);
    if (days !== this.windowDays) {
      this.selectedWindow = days;
      this.summary = undefined;
    }
  }

  handleOpenMember(event: Event): void {
    const memberId = (event.currentTarget as HTMLElement).dataset.memberId;
    if (memberId) {
      this[NavigationMixin.Navigate]({
        type: 'standard__recordPage',
        attributes: { recordId: memberId, actionName: 'view' },
      });
    }
  }
}
