import { formatLabel } from 'c/tightknitLdsUtils';
import { levelRank, sortRows } from 'c/tightknitTableUtils';

/** One row of TightknitAccountActivitySummaryController.Summary. */
export type MemberRow = {
  memberId: string;
  memberName?: string;
  contactId: string;
  contactName?: string;
  communityId?: string;
  communityName?: string;
  activities30d: number;
  activities90d: number;
  activitiesAllTime: number;
  lastActiveAt?: string;
  engagementLevel?: string;
  engagementScore?: number;
};

/** TightknitAccountActivitySummaryController.Summary. */
export type AccountSummary = {
  rows: MemberRow[];
  memberCount: number;
  contactCount: number;
  activities30d: number;
  activities90d: number;
  activitiesAllTime: number;
  lastActiveAt?: string;
  truncated: boolean;
  maxMembers: number;
};

export type SummaryLabels = {
  contact: string;
  community: string;
  last30: string;
  last90: string;
  allTime: string;
  lastActive: string;
  level: string;
};

/** The sortable fields, also the values of the "Sort by" design property. */
const SORT_FIELDS: readonly string[] = [
  'contactName',
  'communityName',
  'activities30d',
  'activities90d',
  'activitiesAllTime',
  'lastActiveAt',
  'engagementLevel',
];

/**
 * Columns for the region width: a narrow sidebar ('SMALL') keeps Contact, 90 days and Last active;
 * wider regions show everything.
 */
export function summaryColumns(
  labels: SummaryLabels,
  regionWidth?: string,
): import('c/tightknitTableUtils').DatatableColumn[] {
  // No column menus (their wrap/clip actions cost each header a chevron's width in a record-page column).
  const columns: import('c/tightknitTableUtils').DatatableColumn[] = [
    {
      label: labels.contact,
      fieldName: 'contactName',
      type: 'button',
      sortable: true,
      typeAttributes: { label: { fieldName: 'contactName' }, name: 'open_contact', variant: 'base' },
    },
    { label: labels.community, fieldName: 'communityName', sortable: true },
    { label: labels.last30, fieldName: 'activities30d', type: 'number', sortable: true, initialWidth: 96 },
    { label: labels.last90, fieldName: 'activities90d', type: 'number', sortable: true, initialWidth: 96 },
    { label: labels.allTime, fieldName: 'activitiesAllTime', type: 'number', sortable: true, initialWidth: 96 },
    {
      label: labels.lastActive,
      fieldName: 'lastActiveAt',
      type: 'date',
      sortable: true,
      initialWidth: 108,
      typeAttributes: { year: 'numeric', month: 'short', day: '2-digit' },
    },
    { label: labels.level, fieldName: 'engagementLevel', sortable: true, initialWidth: 108 },
  ];
  const all = columns.map((column) => ({ ...column, hideDefaultActions: true }));
  if (regionWidth === 'SMALL') {
    return all.filter((column) => ['contactName', 'activities90d', 'lastActiveAt'].includes(column.fieldName ?? ''));
  }
  return all;
}

/** Sorts rows; engagement levels sort by meaning (Champion above High ...), not alphabetically. */
export function sortSummaryRows(
  rows: readonly MemberRow[],
  sort: import('c/tightknitTableUtils').SortState,
): MemberRow[] {
  return sortRows(rows, sort, (row, fieldName) => {
    if (fieldName === 'engagementLevel') {
      return levelRank(row.engagementLevel);
    }
    return (row as Record<string, unknown>)[fieldName] as string | number | undefined;
  });
}

/** A valid initial sort from the design property (default: most activity in 90 days first). */
export function initialSort(fieldName: string | undefined): import('c/tightknitTableUtils').SortState {
  const field = fieldName && SORT_FIELDS.includes(fieldName) ? fieldName : 'activities90d';
  const ascending = field === 'contactName' || field === 'communityName';
  return { fieldName: field, direction: ascending ? 'asc' : 'desc' };
}

/** The Account totals line, from a label with placeholders {0} members, {1} 30 days, {2} 90 days, {3} all time. */
export function totalsText(summary: AccountSummary, template: string): string {
  // Grouped as the table's number cells are ("10,000", not "10000").
  const grouped = (n: number) => n.toLocaleString();
  return formatLabel(
    template,
    grouped(summary.memberCount),
    grouped(summary.activities30d),
    grouped(summary.activities90d),
    grouped(summary.activitiesAllTime),
  );
}
