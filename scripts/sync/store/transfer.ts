import { UsageError } from '../errors';
import { ACTIVITY_COLUMNS, COMMUNITY_COLUMNS, MEMBER_SOURCE_COLUMNS, MEMBER_STATS_COLUMNS } from './columns';
import type { TransferCounts, TransferValue } from './contract';

/**
 * The neutral, table-shaped form in which a store exports every row it holds and another store imports
 * them (`StoreTransfer` in contract.ts; `migrate-state` moves a state directory into a tenant with it).
 * Both stores keep the same tables with the same columns (the PostgreSQL schema was shaped after the
 * SQLite one, plus a tenant column), so the form is those tables, in an order where every row comes after
 * the rows it refers to. Values: text, numbers, booleans (true/false, whatever the store keeps), times as
 * ISO-8601 text, null.
 */
interface TransferTableShape {
  /** Every column, in the order a batch's rows give them. */
  columns: readonly string[];
  /** The primary key: exports page through the table in this order (no cursor stays open between pages). */
  key: readonly string[];
  /** Columns holding true/false. */
  booleans?: readonly string[];
}

export const TRANSFER_TABLES = {
  communities: {
    columns: ['id', 'seq', 'deleted', ...COMMUNITY_COLUMNS, 'member_count'],
    key: ['id'],
    booleans: ['deleted'],
  },
  members: {
    columns: ['id', 'seq', 'deleted', ...MEMBER_SOURCE_COLUMNS, ...MEMBER_STATS_COLUMNS],
    key: ['id'],
    booleans: ['deleted', 'is_bot', 'is_placeholder'],
  },
  activities: {
    columns: ['id', 'seq', 'deleted', ...ACTIVITY_COLUMNS],
    key: ['id'],
    booleans: ['deleted'],
  },
  source_files: { columns: ['community_id', 'path', 'fingerprint', 'activities'], key: ['community_id', 'path'] },
  ledger_runs: {
    columns: ['id', 'type', 'status', 'started_at', 'finished_at', 'message', 'api_calls', 'retry_of'],
    key: ['id'],
  },
  ledger_run_objects: {
    columns: ['run_id', 'object', 'processed', 'succeeded', 'failed', 'held_back', 'deleted', 'truncated'],
    key: ['run_id', 'object'],
  },
  ledger_jobs: {
    columns: [
      'id',
      'run_id',
      'object',
      'operation',
      'purpose',
      'path',
      'sf_job_id',
      'state',
      'records',
      'bytes',
      'processed',
      'failed',
      'seq_hi',
      'polls',
      'error_message',
      'created_at',
      'uploaded_at',
      'finished_at',
      'results_at',
    ],
    key: ['id'],
  },
  ledger_failed: {
    columns: ['id', 'run_id', 'job_id', 'object', 'external_id', 'code', 'error', 'resolved_run_id'],
    key: ['id'],
  },
  ledger_pending: {
    columns: ['object', 'external_id', 'run_id', 'first_run_id', 'reason', 'waiting_on'],
    key: ['object', 'external_id'],
  },
  ledger_watermarks: { columns: ['object', 'seq', 'run_id', 'updated_at'], key: ['object'] },
  ledger_records: { columns: ['object', 'external_id', 'sf_id', 'run_id'], key: ['object', 'external_id'] },
  ledger_deletes: { columns: ['object', 'sf_id', 'external_id', 'run_id'], key: ['object', 'sf_id'] },
  ledger_contact_links: {
    columns: [
      'member_id',
      'match_value',
      'status',
      'contact_id',
      'lead_id',
      'created_contact_id',
      'intent_run_id',
      'run_id',
      'rule',
      'updated_at',
    ],
    key: ['member_id'],
  },
  ledger_match_waiting: { columns: ['member_id', 'run_id', 'reason'], key: ['member_id'] },
  ledger_match_watermarks: { columns: ['object', 'stamp', 'run_id', 'updated_at'], key: ['object'] },
  ledger_match_seen: { columns: ['object', 'id', 'stamp'], key: ['object', 'id'] },
  ledger_events: { columns: ['id', 'at', 'type', 'code', 'message', 'run_id'], key: ['id'] },
  slack_inbox: {
    columns: ['seq', 'event_id', 'team_id', 'type', 'event_time', 'received_at', 'body', 'applied_at'],
    key: ['seq'],
  },
  slack_inbox_unknown: { columns: ['type', 'count', 'last_seen_at'], key: ['type'] },
  slack_receivers: {
    columns: ['token', 'mode', 'address', 'pid', 'started_at', 'seen_at', 'stopped_at', 'covered'],
    key: ['token'],
    booleans: ['covered'],
  },
  slack_channels: {
    columns: [
      'community_id',
      'channel_id',
      'name',
      'kind',
      'watermark_ts',
      'pass_newest_ts',
      'pass_oldest_ts',
      'last_message_ms',
      'checked_ms',
      'skipped_reason',
    ],
    key: ['community_id', 'channel_id'],
  },
  slack_bots: { columns: ['community_id', 'bot_id', 'user_id'], key: ['community_id', 'bot_id'] },
  slack_meta: { columns: ['community_id', 'key', 'value'], key: ['community_id', 'key'] },
  feed_follow: {
    columns: ['path', 'offset', 'line', 'head_bytes', 'head_hash', 'updated_at'],
    key: ['path'],
  },
  live_source_state: { columns: ['key', 'value'], key: ['key'] },
} as const satisfies Record<string, TransferTableShape>;

export type TransferTable = keyof typeof TRANSFER_TABLES;

/** The tables in import order (a row's references come before it). */
export const TRANSFER_ORDER = Object.keys(TRANSFER_TABLES) as TransferTable[];

/** A column's declared booleans (so a store keeping 0/1 can tell them from counts). */
export function booleanColumns(table: TransferTable): readonly string[] {
  const shape: TransferTableShape = TRANSFER_TABLES[table];
  return shape.booleans ?? [];
}

/** Columns quoted for SQL (`offset` is a keyword in both dialects). */
export function quoted(columns: readonly string[]): string {
  return columns.map((c) => `"${c}"`).join(', ');
}

/**
 * The keyset condition of a page after `last` (the previous page's last key), in both dialects: a row
 * value comparison, `("a", "b") > (?, ?)`. `param(i)` writes the i-th placeholder.
 */
export function afterKey(key: readonly string[], param: (i: number) => string): string {
  return `(${quoted(key)}) > (${key.map((_, i) => param(i)).join(', ')})`;
}

/** Columns that hold a run id: an import that renumbers runs rewrites them. */
const RUN_REFERENCES: Partial<Record<TransferTable, readonly string[]>> = {
  ledger_runs: ['retry_of'],
  ledger_run_objects: ['run_id'],
  ledger_jobs: ['run_id'],
  ledger_failed: ['run_id', 'resolved_run_id'],
  ledger_pending: ['run_id', 'first_run_id'],
  ledger_watermarks: ['run_id'],
  ledger_records: ['run_id'],
  ledger_deletes: ['run_id'],
  ledger_contact_links: ['intent_run_id', 'run_id'],
  ledger_match_waiting: ['run_id'],
  ledger_match_watermarks: ['run_id'],
  ledger_events: ['run_id'],
};

/** Columns that hold a job id. */
const JOB_REFERENCES: Partial<Record<TransferTable, readonly string[]>> = { ledger_failed: ['job_id'] };

/** What an id column of an imported row refers to, and the table whose ids those are. */
export type IdKind = 'run' | 'job';
export const ID_TABLES: Readonly<Record<IdKind, TransferTable>> = { run: 'ledger_runs', job: 'ledger_jobs' };

/** The run and job id columns of a table (an import checks and, in PostgreSQL, translates them). */
export function idReferences(table: TransferTable): Array<{ column: string; kind: IdKind }> {
  return [
    ...(RUN_REFERENCES[table] ?? []).map((column) => ({ column, kind: 'run' as const })),
    ...(JOB_REFERENCES[table] ?? []).map((column) => ({ column, kind: 'job' as const })),
  ];
}

/** Columns that hold a position in the change sequence: none may be past the export's last sequence. */
export const SEQ_POSITIONS: ReadonlyArray<readonly [TransferTable, string]> = [
  ['communities', 'seq'],
  ['members', 'seq'],
  ['activities', 'seq'],
  ['ledger_watermarks', 'seq'],
  ['ledger_jobs', 'seq_hi'],
];

/** Zero rows of every table. */
export function emptyTransferCounts(): TransferCounts {
  return Object.fromEntries(TRANSFER_ORDER.map((t) => [t, 0])) as TransferCounts;
}

/** A row an import refuses: nothing of the import is written. */
export function badRow(message: string): UsageError {
  return new UsageError('IMPORT_BAD_ROW', message, {
    actions: ['Nothing was imported. Repair or remove that row in the source store, then run the import again.'],
  });
}

/** STORE_NOT_EMPTY: an import goes into an empty store only (`held`: the tables that hold rows). */
export function storeNotEmpty(held: readonly string[]): UsageError {
  return new UsageError('STORE_NOT_EMPTY', `The store to import into holds rows already (${held.join(', ')}).`, {
    actions: ['Import into a new, empty store.'],
  });
}

/** A row that does not give one value per column of its table. */
export function checkRowWidth(table: TransferTable, row: readonly TransferValue[]): void {
  const { length } = TRANSFER_TABLES[table].columns;
  if (row.length !== length)
    throw badRow(`A row of ${table} has ${row.length} values; the table has ${length} columns.`);
}

/** A sequence position (the largest of `table.column`) past the export's last sequence. */
export function checkSeqPosition(table: TransferTable, column: string, max: number | null, lastSeq: number): void {
  if (max !== null && max > lastSeq) {
    throw badRow(`${table}.${column} holds ${max}, past the change sequence's last value ${lastSeq}.`);
  }
}

/** A run or job id no row of the export holds. */
export function danglingReference(table: TransferTable, column: string, kind: IdKind, id: number): UsageError {
  return badRow(`${table}.${column} refers to ${kind} ${id}, which the export does not hold.`);
}
