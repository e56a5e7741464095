import type { ObjectKind } from '../store/types';
import type { RunContext } from './context';

/** Result rows per ledger transaction: small batches die young (see PushTuning.pageSize). */
const BATCH_ROWS = 1_000;

/**
 * A Bulk job's result rows on their way into the ledger, in batches. A full batch is written while the
 * next one is read, one write at a time and in order: with a store in another process (PostgreSQL) the
 * result file's download and parsing no longer stop for each write, and at most two batches are held.
 */
export class ResultBatches {
  /** Succeeded rows: external id and Salesforce id. */
  ok: Array<readonly [string, string]> = [];
  /** Failed rows: external id and the error. */
  bad: Array<readonly [string, string]> = [];
  /** External ids a delete job removed from the org. */
  deleted: string[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: RunContext,
    private readonly runId: number,
    private readonly ledgerJobId: number,
    private readonly kind: ObjectKind,
  ) {}

  /** After each row: a full batch starts its write, and the reader waits for the write before it. */
  next(): Promise<void> | undefined {
    const full = this.ok.length + this.deleted.length >= BATCH_ROWS || this.bad.length >= BATCH_ROWS;
    return full ? this.flush() : undefined;
  }

  /** Everything read is in the ledger; the first failed write's error is thrown. */
  async finish(): Promise<void> {
    await this.flush();
    await this.writing;
  }

  /** After a failed read: waits for the write under way (so none outlives the job), keeping the read's error. */
  async settle(): Promise<void> {
    await this.writing.catch(() => undefined);
  }

  private flush(): Promise<void> {
    const { ctx, kind } = this;
    const [ok, bad, gone] = [this.ok, this.bad, this.deleted];
    [this.ok, this.bad, this.deleted] = [[], [], []];
    const before = this.writing;
    this.writing = before.then(async () => {
      await ctx.succeeded(kind, ok);
      await ctx.failed(this.runId, this.ledgerJobId, kind, bad);
      if (gone.length > 0) await ctx.ledger.forgetRecords(kind, gone);
    });
    // Awaited by the next batch or by finish/settle; never left as an unhandled rejection meanwhile.
    this.writing.catch(() => undefined);
    return before;
  }
}
