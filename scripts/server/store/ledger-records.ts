import { errorCode, type FailedObject, type FailedRecord, type PendingRecord } from '../../sync/ledger';
import type { ObjectKind } from '../../sync/store/types';
import type { Exec } from './exec';

/**
 * The rows of a batch with each key once, its last occurrence kept: one upsert statement may not touch
 * a row twice, and the last write is the one a row-by-row upsert would have left.
 */
export function lastOf<T>(rows: readonly T[], key: (r: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    byKey.delete(k);
    byKey.set(k, r);
  }
  return [...byKey.values()];
}

/**
 * The ledger's record bookkeeping: pushed records and their Salesforce ids, failures, deletes by
 * Salesforce id and held-back records. `PgLedger` adds runs, jobs, watermarks, links and events.
 */
export class PgLedgerRecords {
  constructor(protected readonly q: Exec) {}

  async recordSuccesses(
    runId: number,
    object: ObjectKind,
    rows: ReadonlyArray<readonly [string, string]>,
  ): Promise<void> {
    // One statement per batch (a row per statement was most of a PostgreSQL push's time); a record
    // named twice keeps its last Salesforce id, as the row-by-row upsert did.
    const last = lastOf(rows, (r) => r[0]);
    if (last.length === 0) return;
    await this.q.query(
      `INSERT INTO ledger_records (object, external_id, sf_id, run_id)
       SELECT $1, e, s, $4::bigint FROM unnest($2::text[], $3::text[]) AS u(e, s)
       ON CONFLICT (tenant_id, object, external_id) DO UPDATE SET sf_id = excluded.sf_id, run_id = excluded.run_id`,
      [object, last.map((r) => r[0]), last.map((r) => r[1]), runId],
    );
  }

  async resolveFailures(runId: number, object: FailedObject, externalIds: Iterable<string>): Promise<void> {
    await this.q.query(
      `UPDATE ledger_failed SET resolved_run_id = $1
       WHERE object = $2 AND external_id = ANY($3::text[]) AND resolved_run_id IS NULL`,
      [runId, object, [...externalIds]],
    );
  }

  async unresolvedFailureIds(object: FailedObject, codes?: readonly string[]): Promise<Set<string>> {
    const { rows } = await this.q.query<{ e: string }>(
      `SELECT DISTINCT external_id AS e FROM ledger_failed WHERE object = $1 AND resolved_run_id IS NULL
       ${codes ? 'AND code = ANY($2::text[])' : ''}`,
      codes ? [object, codes] : [object],
    );
    return new Set(rows.map((r) => r.e));
  }

  async recordFailures(
    runId: number,
    jobId: number | null,
    object: FailedObject,
    rows: ReadonlyArray<readonly [string, string]>,
  ): Promise<void> {
    if (rows.length === 0) return;
    const ids = rows.map((r) => r[0]);
    await this.q.atomic(async (q) => {
      // An older failure of the same record is now described by this newer one.
      await q.query(
        `UPDATE ledger_failed SET resolved_run_id = $1
         WHERE object = $2 AND external_id = ANY($3::text[]) AND resolved_run_id IS NULL AND run_id <> $1`,
        [runId, object, [...new Set(ids)]],
      );
      // In the batch's order, so the rows' ids follow it as they did one insert at a time.
      await q.query(
        `INSERT INTO ledger_failed (run_id, job_id, object, external_id, code, error)
         SELECT $1, $2, $3, e, c, m FROM unnest($4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS u(e, c, m, n)
         ORDER BY n`,
        [runId, jobId, object, ids, rows.map((r) => errorCode(r[1])), rows.map((r) => r[1])],
      );
    });
  }

  async clearFailures(runId: number, object: ObjectKind, externalIds: Iterable<string>, code: string): Promise<void> {
    await this.q.query(
      'DELETE FROM ledger_failed WHERE run_id = $1 AND object = $2 AND external_id = ANY($3::text[]) AND code = $4',
      [runId, object, [...externalIds], code],
    );
  }

  async failedOfRun(runId: number, unresolvedOnly = false): Promise<FailedRecord[]> {
    const { rows } = await this.q.query<FailedRecord>(
      `SELECT run_id AS "runId", job_id AS "jobId", object, external_id AS "externalId", code, error,
         resolved_run_id AS "resolvedRunId"
       FROM ledger_failed WHERE run_id = $1 ${unresolvedOnly ? 'AND resolved_run_id IS NULL' : ''} ORDER BY id`,
      [runId],
    );
    return rows;
  }

  async sfId(object: ObjectKind, externalId: string): Promise<string | undefined> {
    const { rows } = await this.q.query<{ s: string }>(
      'SELECT sf_id AS s FROM ledger_records WHERE object = $1 AND external_id = $2',
      [object, externalId],
    );
    return rows[0]?.s;
  }

  async idsInOrg(object: ObjectKind): Promise<Set<string>> {
    const { rows } = await this.q.query<{ e: string }>(
      'SELECT external_id AS e FROM ledger_records WHERE object = $1',
      [object],
    );
    return new Set(rows.map((r) => r.e));
  }

  async noteDeletes(
    runId: number,
    object: ObjectKind,
    rows: ReadonlyArray<{ ext: string; sfId: string }>,
  ): Promise<void> {
    const last = lastOf(rows, (r) => r.sfId);
    if (last.length === 0) return;
    await this.q.query(
      `INSERT INTO ledger_deletes (object, sf_id, external_id, run_id)
       SELECT $1, s, e, $4::bigint FROM unnest($2::text[], $3::text[]) AS u(s, e)
       ON CONFLICT (tenant_id, object, sf_id) DO UPDATE SET external_id = excluded.external_id, run_id = excluded.run_id`,
      [object, last.map((r) => r.sfId), last.map((r) => r.ext), runId],
    );
  }

  async externalIdBySfId(object: ObjectKind, sfId: string): Promise<string | undefined> {
    const { rows } = await this.q.query<{ e: string }>(
      'SELECT external_id AS e FROM ledger_deletes WHERE object = $1 AND sf_id = $2',
      [object, sfId],
    );
    return rows[0]?.e;
  }

  async forgetRecords(object: ObjectKind, externalIds: Iterable<string>): Promise<void> {
    await this.q.query('DELETE FROM ledger_records WHERE object = $1 AND external_id = ANY($2::text[])', [
      object,
      [...externalIds],
    ]);
  }

  async countRecords(object: ObjectKind): Promise<number> {
    const { rows } = await this.q.query<{ n: number }>('SELECT COUNT(*) AS n FROM ledger_records WHERE object = $1', [
      object,
    ]);
    return rows[0].n;
  }

  async hold(
    runId: number,
    object: ObjectKind,
    rows: ReadonlyArray<{ externalId: string; reason: string; waitingOn: string | null }>,
  ): Promise<void> {
    const last = lastOf(rows, (r) => r.externalId);
    if (last.length === 0) return;
    await this.q.query(
      `INSERT INTO ledger_pending (object, external_id, run_id, first_run_id, reason, waiting_on)
       SELECT $1, e, $2::bigint, $2::bigint, r, w FROM unnest($3::text[], $4::text[], $5::text[]) AS u(e, r, w)
       ON CONFLICT (tenant_id, object, external_id) DO UPDATE SET run_id = excluded.run_id, reason = excluded.reason,
         waiting_on = excluded.waiting_on`,
      [object, runId, last.map((r) => r.externalId), last.map((r) => r.reason), last.map((r) => r.waitingOn)],
    );
  }

  async release(object: ObjectKind, externalIds: Iterable<string>): Promise<void> {
    await this.q.query('DELETE FROM ledger_pending WHERE object = $1 AND external_id = ANY($2::text[])', [
      object,
      [...externalIds],
    ]);
  }

  async pendingIds(object: ObjectKind): Promise<string[]> {
    const { rows } = await this.q.query<{ e: string }>(
      'SELECT external_id AS e FROM ledger_pending WHERE object = $1 ORDER BY external_id COLLATE "C"',
      [object],
    );
    return rows.map((r) => r.e);
  }

  async pendingOfRun(runId: number): Promise<PendingRecord[]> {
    const { rows } = await this.q.query<PendingRecord>(
      `SELECT object, external_id AS "externalId", run_id AS "runId", first_run_id AS "firstRunId", reason,
         waiting_on AS "waitingOn"
       FROM ledger_pending WHERE run_id = $1 ORDER BY object COLLATE "C", external_id COLLATE "C"`,
      [runId],
    );
    return rows;
  }

  async pendingSummary(): Promise<Array<{ object: ObjectKind; reason: string; count: number }>> {
    const { rows } = await this.q.query<{ object: ObjectKind; reason: string; count: number }>(
      `SELECT object, reason, COUNT(*) AS count FROM ledger_pending GROUP BY object, reason
       ORDER BY object COLLATE "C", reason COLLATE "C"`,
    );
    return rows;
  }
}
