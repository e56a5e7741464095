import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { RowBatch, TransferCounts, TransferValue } from '../../sync/store/contract';
import {
  badRow,
  checkRowWidth,
  checkSeqPosition,
  danglingReference,
  emptyTransferCounts,
  idReferences,
  quoted,
  SEQ_POSITIONS,
  storeNotEmpty,
  TRANSFER_ORDER,
  TRANSFER_TABLES,
  type IdKind,
  type TransferTable,
} from '../../sync/store/transfer';
import type { HeldExec } from './exec';

/** Tables whose ids are drawn anew, and the sequence they are drawn from (other rows refer to them). */
const RENUMBERED: Partial<Record<TransferTable, { kind: IdKind; sequence: string }>> = {
  ledger_runs: { kind: 'run', sequence: 'ledger_runs_id_seq' },
  ledger_jobs: { kind: 'job', sequence: 'ledger_jobs_id_seq' },
};

/** Identity columns nothing refers to: left to the table, assigned in the export's order. */
const FRESH: Partial<Record<TransferTable, string>> = { ledger_failed: 'id', ledger_events: 'id', slack_inbox: 'seq' };

/** One value as CSV for COPY: null is an empty unquoted field, text is always quoted (so '' stays ''). */
function csv(v: TransferValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return `"${v.replace(/"/g, '""')}"`;
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return String(v);
}

const mapped = (kind: string, expr: string): string =>
  `(SELECT m.new FROM tk_id_map m WHERE m.kind = '${kind}' AND m.old = ${expr})`;

/**
 * One import into a tenant, inside the transaction the caller holds: each batch is copied into a
 * transaction-local staging table (COPY), checked, and inserted with its run and job ids translated
 * through `tk_id_map` (export id → new id). Memory holds one batch at a time.
 */
export class TransferImport {
  readonly counts: TransferCounts = emptyTransferCounts();
  private lastSeq = 0;

  constructor(private readonly q: HeldExec) {}

  async refuseNonEmpty(): Promise<void> {
    const held: string[] = [];
    for (const t of TRANSFER_ORDER) {
      if ((await this.q.query(`SELECT 1 FROM ${t} LIMIT 1`)).rowCount > 0) held.push(t);
    }
    if (held.length > 0) throw storeNotEmpty(held);
    await this.q.query(
      'CREATE TEMP TABLE IF NOT EXISTS tk_id_map (kind text NOT NULL, old bigint NOT NULL, new bigint NOT NULL, PRIMARY KEY (kind, old)) ON COMMIT DROP',
    );
  }

  async batch(batch: RowBatch): Promise<void> {
    if (batch.table === 'sequence') {
      this.lastSeq = batch.lastSeq;
      // GREATEST: a tenant whose rolled-back writes drew sequences already keeps counting from there.
      await this.q.query(
        `INSERT INTO tenant_sequences AS s (last_seq) VALUES ($1)
         ON CONFLICT (tenant_id) DO UPDATE SET last_seq = GREATEST(s.last_seq, excluded.last_seq)`,
        [batch.lastSeq],
      );
      return;
    }
    const { table, rows } = batch;
    if (rows.length === 0) return;
    const columns: readonly string[] = TRANSFER_TABLES[table].columns;
    for (const r of rows) checkRowWidth(table, r);
    const staging = await this.stage(table, columns, rows);
    const renumber = RENUMBERED[table];
    if (renumber) {
      await this.q.query(
        `INSERT INTO tk_id_map (kind, old, new) SELECT $1, id, nextval('${renumber.sequence}') FROM ${staging} ORDER BY id`,
        [renumber.kind],
      );
    }
    await this.checkReferences(table, staging);
    await this.insert(table, columns, staging);
    this.counts[table] += rows.length;
  }

  /** COPY of the batch into a staging table shaped like the target (its column types parse the values). */
  private async stage(table: TransferTable, columns: readonly string[], rows: TransferValue[][]): Promise<string> {
    const staging = `tk_in_${table}`;
    await this.q.query(
      `CREATE TEMP TABLE IF NOT EXISTS ${staging} ON COMMIT DROP AS SELECT ${quoted(columns)} FROM ${table} WITH NO DATA`,
    );
    await this.q.query(`TRUNCATE ${staging}`);
    const lines = rows.map((r) => `${r.map(csv).join(',')}\n`);
    try {
      await pipeline(
        Readable.from(lines),
        this.q.client.query(copyFrom(`COPY ${staging} (${quoted(columns)}) FROM STDIN (FORMAT csv)`)),
      );
    } catch (err) {
      // Data exceptions (class 22: a value of the wrong type or too long) are the row's fault; others are not.
      if (!String((err as { code?: string }).code).startsWith('22')) throw err;
      throw badRow(`A row of ${table} does not fit its columns: ${(err as Error).message}.`);
    }
    return staging;
  }

  private async checkReferences(table: TransferTable, staging: string): Promise<void> {
    for (const { column, kind } of idReferences(table)) {
      const { rows } = await this.q.query<{ v: number }>(
        `SELECT s."${column}" AS v FROM ${staging} s WHERE s."${column}" IS NOT NULL AND ${mapped(kind, `s."${column}"`)} IS NULL LIMIT 1`,
      );
      if (rows[0]) throw danglingReference(table, column, kind, rows[0].v);
    }
  }

  private async insert(table: TransferTable, columns: readonly string[], staging: string): Promise<void> {
    const refs = new Map(idReferences(table).map((r) => [r.column, r.kind]));
    const renumber = RENUMBERED[table];
    const target = columns.filter((c) => c !== FRESH[table]);
    const values = target.map((c) => {
      if (renumber && c === 'id') return mapped(renumber.kind, 's.id');
      const kind = refs.get(c);
      return kind ? mapped(kind, `s."${c}"`) : `s."${c}"`;
    });
    // Identities drawn here follow the export's order; other rows need no order (and no sort).
    const { key } = TRANSFER_TABLES[table];
    const order = renumber || FRESH[table] ? `ORDER BY ${key.map((k) => `s."${k}"`).join(', ')}` : '';
    await this.q.query(
      `INSERT INTO ${table} (${quoted(target)}) ${renumber ? 'OVERRIDING SYSTEM VALUE' : ''}
       SELECT ${values.join(', ')} FROM ${staging} s ${order}`,
    );
  }

  /** No sequence position past the export's last sequence (a watermark must stay a position in it). */
  async finish(): Promise<void> {
    for (const [table, column] of SEQ_POSITIONS) {
      const { rows } = await this.q.query<{ m: number | null }>(`SELECT MAX("${column}") AS m FROM ${table}`);
      checkSeqPosition(table, column, rows[0].m, this.lastSeq);
    }
  }
}
