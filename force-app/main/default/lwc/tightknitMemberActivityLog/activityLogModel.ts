/* eslint-disable no-undef -- Babel's ESLint parser reads TypeScript type declarations as runtime references; tsc checks these names. */
import { sortRows, toActivityTableRow } from 'c/tightknitTableUtils';

export type ColumnLabels = { occurred: string; type: string; summary: string; channel: string; view: string };

export type DatatableColumn = {
  label: string;
  fieldName?: string;
  type?: string;
  sortable?: boolean;
  wrapText?: boolean;
  initialWidth?: number;
  typeAttributes?: Record<string, unknown>;
};

/** Columns of the member activity table; the View button opens the Activity record. */
export function activityColumns(labels: ColumnLabels): DatatableColumn[] {
  return [
    {
      label: labels.occurred,
      fieldName: 'occurredAt',
      type: 'date',
      sortable: true,
      typeAttributes: { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' },
    },
    { label: labels.type, fieldName: 'type', sortable: true },
    { label: labels.summary, fieldName: 'summary', wrapText: true },
    { label: labels.channel, fieldName: 'channel', sortable: true },
    {
      label: labels.view,
      type: 'button',
      initialWidth: 90,
      typeAttributes: {
        label: { fieldName: 'viewLabel' },
        name: 'view',
        variant: 'base',
        title: { fieldName: 'viewTitle' },
      },
    },
  ];
}

/** Table rows for one page, sorted as the user asked (sorting applies within the loaded page). */
export function activityTableRows(
  rows: readonly import('c/tightknitTableUtils').ActivityRow[],
  sort: import('c/tightknitTableUtils').SortState,
  viewLabel: string,
) {
  return sortRows(
    rows.map((row) => ({ ...toActivityTableRow(row, viewLabel), viewTitle: `${viewLabel} ${row.name ?? ''}`.trim() })),
    sort,
  );
}
