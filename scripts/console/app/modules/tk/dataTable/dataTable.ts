import { LightningElement, api } from 'lwc';

export interface DataCell {
  key: string;
  text: string;
  className?: string;
  /** A second line under the text (a job's error, its finish time), in `noteClass`. */
  note?: string;
  noteClass?: string;
}

export interface DataRow {
  key: string;
  /** The row header (first column). */
  header: { text: string; className?: string };
  cells: DataCell[];
  /** The row's data-object (per-object summaries) or data-job (Bulk jobs), where it has one. */
  object?: string;
  job?: string;
}

/** A plain SLDS table: column headers, then one row a record with a row header and text cells. */
export default class DataTable extends LightningElement {
  static renderMode = 'light' as const;
  @api columns: Array<{ key: string; label: string }> = [];
  @api rows: DataRow[] = [];
  @api tableClass = 'slds-table slds-table_cell-buffer';
  @api headRowClass: string | null = null;
}
