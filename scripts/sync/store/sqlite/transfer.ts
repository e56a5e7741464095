import type Database from 'better-sqlite3';
import type { RowBatch, StoreTransfer, TransferCounts, TransferValue } from '../contract';
import {
  afterKey,
  booleanColumns,
  checkRowWidth,
  checkSeqPosition,
  danglingReference,
  emptyTransferCounts,
  ID_TABLES,
  idReferences,
  quoted,
  SEQ_POSITIONS,
  storeNotEmpty,
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
    if (held.length > 0) throw storeNotEmpty(held);
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
      checkRowWidth(table, row);
      insert.run(row.map(stored));
    }
    counts[table] += batch.rows.length;
  }

  /** Every run and job reference resolves, and no sequence position is past the last sequence. */
  checkImported(): void {
    const lastSeq = this.lastSeq();
    for (const [table, column] of SEQ_POSITIONS) {
      const max = this.db.prepare(`SELECT MAX("${column}") FROM ${table}`).pluck().get() as number | null;
      checkSeqPosition(table, column, max, lastSeq);
    }
    for (const kind of ['run', 'job'] as const) {
      for (const table of TRANSFER_ORDER) {
        for (const { column } of idReferences(table).filter((r) => r.kind === kind)) {
          const dangling = this.db
            .prepare(
              `SELECT t."${column}" FROM ${table} t WHERE t."${column}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${ID_TABLES[kind]} r WHERE r.id = t."${column}") LIMIT 1`,
            )
            .pluck()
            .get() as number | undefined;
          if (dangling !== undefined) throw danglingReference(table, column, kind, dangling);
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
