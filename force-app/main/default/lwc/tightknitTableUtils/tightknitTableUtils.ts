/**
 * Plain table logic shared by the Tightknit record-page components: sorting, paging state and the
 * engagement-level order. No DOM, no LWC: tested on its own.
 */

export type SortDirection = 'asc' | 'desc';

export type SortState = { fieldName: string; direction: SortDirection };

type Sortable = string | number | boolean | null | undefined;

/** Engagement levels from most to least engaged; used to sort a level column by meaning, not by name. */
export const LEVEL_ORDER: readonly string[] = ['Champion', 'High', 'Medium', 'Low', 'None'];

/** Rank of an engagement level for sorting (higher = more engaged); unknown levels sort last. */
export function levelRank(level: string | null | undefined): number {
  const index = level ? LEVEL_ORDER.indexOf(level) : -1;
  return index === -1 ? -1 : LEVEL_ORDER.length - index;
}

function compareValues(a: Sortable, b: Sortable): number {
  const aEmpty = a === null || a === undefined || a === '';
  const bEmpty = b === null || b === undefined || b === '';
  if (aEmpty || bEmpty) {
    return aEmpty === bEmpty ? 0 : aEmpty ? 1 : -1;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  return String(a).localeCompare(String(b), undefined, { sensitivity: 'base', numeric: true });
}

/**
 * Returns a sorted copy of rows. Empty values always go last, whatever the direction; ties keep their
 * original order. `keyOf` may map a field to its sort key (e.g. a level to its rank).
 */
export function sortRows<T extends object>(
  rows: readonly T[],
  sort: SortState,
  keyOf: (row: T, fieldName: string) => Sortable = (row, fieldName) =>
    (row as Record<string, unknown>)[fieldName] as Sortable,
): T[] {
  const factor = sort.direction === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, key: keyOf(row, sort.fieldName) }))
    .sort((a, b) => {
      const aEmpty = a.key === null || a.key === undefined || a.key === '';
      const bEmpty = b.key === null || b.key === undefined || b.key === '';
      if (aEmpty || bEmpty) {
        return aEmpty === bEmpty ? a.index - b.index : aEmpty ? 1 : -1;
      }
      return compareValues(a.key, b.key) * factor || a.index - b.index;
    })
    .map((entry) => entry.row);
}

export type PagerState = {
  pageNumber: number;
  canGoBack: boolean;
  canGoForward: boolean;
  isVisible: boolean;
};

/** What the pager shows for a page: hidden when everything fits on page 1. */
export function pagerState(pageNumber: number, hasMore: boolean): PagerState {
  const page = Number.isInteger(pageNumber) && pageNumber > 0 ? pageNumber : 1;
  return {
    pageNumber: page,
    canGoBack: page > 1,
    canGoForward: hasMore,
    isVisible: page > 1 || hasMore,
  };
}

/** Clamps a design-property page size (a string or number from App Builder) to 1..max, default on junk. */
export function clampPageSize(value: unknown, fallback: number, max = 50): number {
  const parsed = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  if (!Number.isFinite(parsed) || parsed < 1) {
    return fallback;
  }
  return Math.min(Math.floor(parsed), max);
}

/** An activity row as the Apex controllers return it (TightknitActivityRows.Row). */
export type ActivityRow = {
  id: string;
  name?: string;
  type?: string;
  sourceType?: string;
  occurredAt?: string;
  summary?: string;
  channelName?: string;
  permalink?: string;
  memberId?: string;
  memberName?: string;
  targetMemberId?: string;
  targetMemberName?: string;
  communityId?: string;
  communityName?: string;
};

/** A page of activity rows (TightknitActivityRows.Page). */
export type ActivityPage = {
  rows: ActivityRow[];
  pageNumber: number;
  pageSize: number;
  hasMore: boolean;
};

/** Adds display-only fields to an activity row: the channel with its '#', and a label for the View button. */
export function toActivityTableRow(
  row: ActivityRow,
  viewLabel: string,
): ActivityRow & { channel: string; viewLabel: string } {
  return {
    ...row,
    channel: row.channelName ? `#${row.channelName}` : '',
    viewLabel,
  };
}

export type ColumnLabels = { occurred: string; type: string; summary: string; channel: string; view: string };

export type DatatableColumn = {
  label: string;
  fieldName?: string;
  type?: string;
  sortable?: boolean;
  wrapText?: boolean;
  initialWidth?: number;
  hideDefaultActions?: boolean;
  typeAttributes?: Record<string, unknown>;
};

/**
 * Columns of an activity table; the View button opens the Activity record. In a narrow sidebar
 * (flexipageRegionWidth 'SMALL') only When (the day), Summary and View remain.
 */
export function activityColumns(labels: ColumnLabels, regionWidth?: string): DatatableColumn[] {
  const columns: DatatableColumn[] = [
    {
      label: labels.occurred,
      fieldName: 'occurredAt',
      type: 'date',
      sortable: true,
      // Wide enough for "Dec 06, 2026, 03:23 PM" next to the sort arrow.
      initialWidth: 190,
      hideDefaultActions: true,
      typeAttributes: { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' },
    },
    { label: labels.type, fieldName: 'type', sortable: true, hideDefaultActions: true },
    { label: labels.summary, fieldName: 'summary', wrapText: true, hideDefaultActions: true },
    { label: labels.channel, fieldName: 'channel', sortable: true, hideDefaultActions: true },
    {
      label: labels.view,
      type: 'button',
      initialWidth: 90,
      hideDefaultActions: true,
      typeAttributes: {
        label: { fieldName: 'viewLabel' },
        name: 'view',
        variant: 'base',
        title: { fieldName: 'viewTitle' },
      },
    },
  ];
  if (regionWidth === 'SMALL') {
    // A sidebar or phone: the day alone ("Dec 06"), so that the summary keeps most of the width.
    return columns
      .filter((column) => column.type === 'button' || ['occurredAt', 'summary'].includes(column.fieldName ?? ''))
      .map((column) => {
        if (column.fieldName !== 'occurredAt') return column;
        return { ...column, initialWidth: 96, typeAttributes: { month: 'short', day: '2-digit' } };
      });
  }
  return columns;
}

/** Table rows for one page, sorted as the user asked (sorting applies within the loaded page). */
export function activityTableRows(rows: readonly ActivityRow[], sort: SortState, viewLabel: string) {
  return sortRows(
    rows.map((row) => ({ ...toActivityTableRow(row, viewLabel), viewTitle: `${viewLabel} ${row.name ?? ''}`.trim() })),
    sort,
  );
}
