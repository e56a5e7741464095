import type { AsyncStoreTransfer } from '../../sync/store/async';
import type { RowBatch, TransferCounts, TransferValue } from '../../sync/store/contract';
import { afterKey, quoted, TRANSFER_ORDER, TRANSFER_TABLES } from '../../sync/store/transfer';
import { HeldExec, type Exec } from './exec';
import { TransferImport } from './transfer-import';

/**
 * Export and import of a tenant's rows (the contract's `StoreTransfer`). The export reads each table in
 * primary-key pages; the import streams each batch in with COPY and renumbers runs and jobs (their ids
 * are unique across tenants), see transfer-import.ts.
 */
export class PgTransfer implements AsyncStoreTransfer {
  constructor(private readonly q: Exec) {}

  async *exportRows(batchSize: number): AsyncIterable<RowBatch> {
    const { rows } = await this.q.query<{ s: number }>('SELECT last_seq AS s FROM tenant_sequences');
    yield { table: 'sequence', lastSeq: rows[0]?.s ?? 0 };
    for (const table of TRANSFER_ORDER) {
      const { columns, key } = TRANSFER_TABLES[table];
      const select = `SELECT ${quoted(columns)} FROM ${table}`;
      let last: TransferValue[] | undefined;
      for (;;) {
        const page = last
          ? await this.q.query(
              `${select} WHERE ${afterKey(key, (i) => `$${i + 1}`)} ORDER BY ${quoted(key)} LIMIT $${key.length + 1}`,
              [...key.map((k) => (last as TransferValue[])[(columns as readonly string[]).indexOf(k)]), batchSize],
            )
          : await this.q.query(`${select} ORDER BY ${quoted(key)} LIMIT $1`, [batchSize]);
        if (page.rows.length === 0) break;
        const batch = page.rows.map((r) => columns.map((c) => r[c] as TransferValue));
        yield { table, rows: batch };
        if (batch.length < batchSize) break;
        last = batch[batch.length - 1];
      }
    }
  }

  /** In the store's open transaction, or in one of its own. */
  importRows(batches: AsyncIterable<RowBatch>): Promise<TransferCounts> {
    return this.q.atomic(async (q) => {
      if (!(q instanceof HeldExec)) throw new Error('An import needs a connection of its own (COPY).');
      const run = new TransferImport(q);
      await run.refuseNonEmpty();
      for await (const batch of batches) await run.batch(batch);
      await run.finish();
      return run.counts;
    });
  }
}
