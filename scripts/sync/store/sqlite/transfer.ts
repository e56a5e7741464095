import type Database from 'better-sqlite3';
import { UsageError } from '../../errors';
import type { RowBatch, StoreTransfer, TransferCounts, TransferValue } from '../contract';
import {
  afterKey,
  badRow,
  booleanColumns,
  emptyTransferCounts,
  JOB_REFERENCES,
  quoted,
  RUN_REFERENCES,
  SEQ_POSITIONS,
  TRANSFER_ORDER,
  TRANSFER_TABLES,
  type TransferTable,
} from '../transfer';

type DbValue = string | number | bigint | Buffer | null;

/**
 * Export and import of the SQLite store (the contract's `StoreTransfer`). Ids are kept as they are: the
 * import goes into an empty store, so no id of the export can collide with one of its own.
 */
export class SqliteTransfer implements StoreTransfer {
  private readonly inserts = new Map<TransferTable, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private lastSeq(): number {
    return this.db.prepare("SELECT value FROM store_meta WHERE key = 'last_seq'").pluck().get() as number;
  }

  /**
   * One read transaction around the whole export (unless one is open already): every page comes from the
   * same snapshot, so a receiver writing the inbox meanwhile cannot make the copy inconsistent (WAL lets
   * it go on writing).
   */
  *exportRows(batchSize: number): Iterable<RowBatch> {
    const own = !this.db.inTransaction;
    if (own) this.db.exec('BEGIN');
    try {
      yield* this.pages(batchSize);
    } finally {
      if (own && this.db.inTransaction) this.db.exec('COMMIT');
    }
  }

  private *pages(batchSize: number): Iterable<RowBatch> {
    yield { table: 'sequence', lastSeq: this.lastSeq() };
    for (const table of TRANSFER_ORDER) {
      const { columns, key } = TRANSFER_TABLES[table];
      const select = `SELECT ${quoted(columns)} FROM ${table}`;
      const order = `ORDER BY ${quoted(key)} LIMIT ?`;
      const first = this.db.prepare(`${select} ${order}`).raw();
      const next = this.db.prepare(`${select} WHERE ${afterKey(key, () => '?')} ${order}`).raw();
      const keyAt = key.map((k) => (columns as readonly string[]).indexOf(k));
      const flags = booleanColumns(table).map((c) => (columns as readonly string[]).indexOf(c));
      let rows = first.all(batchSize) as DbValue[][];
      while (rows.length > 0) {
        const last = rows[rows.length - 1];
        yield { table, rows: rows.map((r) => neutral(r, flags)) };
        if (rows.length < batchSize) break;
        rows = next.all(...keyAt.map((i) => last[i]), batchSize) as DbValue[][];
      }
    }
  }

  importRows(batches: Iterable<RowBatch>): TransferCounts {
    return this.db
      .transaction(() => {
        this.refuseNonEmpty();
        const counts = emptyTransferCounts();
        for (const b of batches) this.importBatch(b, counts);
        this.checkImported();
        return counts;
      })
      .immediate();
  }

  /** STORE_NOT_EMPTY unless every table is empty. */
  refuseNonEmpty(): void {
    const held = TRANSFER_ORDER.filter((t) => this.db.prepare(`SELECT 1 FROM ${t} LIMIT 1`).get() !== undefined);
    if (held.length > 0) {
      throw new UsageError('STORE_NOT_EMPTY', `The store to import into holds rows already (${held.join(', ')}).`, {
        actions: ['Import into a new, empty store.'],
      });
    }
  }

  /** Writes one batch (inside the import's transaction). */
  importBatch(batch: RowBatch, counts: TransferCounts): void {
    if (batch.table === 'sequence') {
      this.db.prepare("UPDATE store_meta SET value = ? WHERE key = 'last_seq'").run(batch.lastSeq);
      return;
    }
    const { table } = batch;
    const columns: readonly string[] = TRANSFER_TABLES[table].columns;
    let insert = this.inserts.get(table);
    if (!insert) {
      insert = this.db.prepare(
        `INSERT INTO ${table} (${quoted(columns)}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      this.inserts.set(table, insert);
    }
    for (const row of batch.rows) {
      if (row.length !== columns.length) {
        throw badRow(`A row of ${table} has ${row.length} values; the table has ${columns.length} columns.`);
      }
      insert.run(row.map(stored));
    }
    counts[table] += batch.rows.length;
  }

  /** Every run and job reference resolves, and no sequence position is past the last sequence. */
  checkImported(): void {
    const lastSeq = this.lastSeq();
    for (const [table, column] of SEQ_POSITIONS) {
      const max = this.db.prepare(`SELECT MAX("${column}") FROM ${table}`).pluck().get() as number | null;
      if (max !== null && max > lastSeq) {
        throw badRow(`${table}.${column} holds ${max}, past the change sequence's last value ${lastSeq}.`);
      }
    }
    for (const [refs, target, what] of [
      [RUN_REFERENCES, 'ledger_runs', 'run'],
      [JOB_REFERENCES, 'ledger_jobs', 'job'],
    ] as const) {
      for (const [table, columns] of Object.entries(refs)) {
        for (const c of columns) {
          const dangling = this.db
            .prepare(
              `SELECT t."${c}" FROM ${table} t WHERE t."${c}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${target} r WHERE r.id = t."${c}") LIMIT 1`,
            )
            .pluck()
            .get() as number | undefined;
          if (dangling !== undefined) {
            throw badRow(`${table}.${c} refers to ${what} ${dangling}, which the export does not hold.`);
          }
        }
      }
    }
  }
}

function neutral(row: DbValue[], flags: number[]): TransferValue[] {
  const out = row.map((v): TransferValue =>
    typeof v === 'bigint' ? Number(v) : Buffer.isBuffer(v) ? v.toString() : v,
  );
  for (const i of flags) out[i] = out[i] === null ? null : Boolean(out[i]);
  return out;
}

function stored(v: TransferValue): DbValue {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}
