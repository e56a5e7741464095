import { randomBytes } from 'node:crypto';
import { SRecord } from '../store/record-store';

/**
 * Open query cursors for `nextRecordsUrl` paging ("Execute a SOQL Query": results come in batches of
 * up to 2,000 records; `Sforce-Query-Options: batchSize=N` asks for 200..2000). Locators look like
 * Salesforce's, `01g...-2000`.
 */
export class QueryCursors {
  private readonly open = new Map<string, { records: SRecord[]; userId: string }>();

  /** Registers the rest of a result and returns the cursor id. */
  create(records: SRecord[], userId: string): string {
    const id = `01g${randomBytes(9).toString('hex').slice(0, 15)}`;
    this.open.set(id, { records, userId });
    return id;
  }

  get(id: string, userId: string): SRecord[] | undefined {
    const c = this.open.get(id);
    return c && c.userId === userId ? c.records : undefined;
  }

  close(id: string): void {
    this.open.delete(id);
  }
}

/** Batch size from the `Sforce-Query-Options` header (default 2000, clamped to 200..2000). */
export function batchSize(header: string | string[] | undefined): number {
  const m = /batchSize=(\d+)/i.exec(String(header ?? ''));
  return m ? Math.min(2000, Math.max(200, Number(m[1]))) : 2000;
}
