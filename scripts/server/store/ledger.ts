import {
  OBJECT_KINDS,
  emptyCounts,
  type ContactLink,
  type JobPatch,
  type JobRecord,
  type Ledger,
  type LedgerEvent,
  type LinkDecision,
  type NewJob,
  type ObjectCounts,
  type RunRecord,
  type RunStatus,
  type RunType,
} from '../../sync/ledger';
import type { Promised } from '../../sync/store/async';
import type { ObjectKind } from '../../sync/store/types';
import { lastOf, PgLedgerRecords } from './ledger-records';
import { JOB_COLUMNS, JOB_PATCH_COLUMNS, LINK_COLUMNS, RUN_COLUMNS } from './ledger-columns';

/**
 * The sync history and the push's bookkeeping (`Ledger`, scripts/sync/ledger) in the tenant's ledger
 * tables. Every method is one tenant transaction (or part of the caller's), so a process killed at any
 * point leaves a consistent ledger.
 */
export class PgLedger extends PgLedgerRecords implements Promised<Ledger> {
  async now(): Promise<string> {
    return new Date().toISOString();
  }

  private iso(): string {
    return new Date().toISOString();
  }

  async startRun(type: RunType, retryOf: number | null = null): Promise<number> {
    return this.q.atomic(async (q) => {
      const { rows } = await q.query<{ id: number }>(
        "INSERT INTO ledger_runs (type, status, started_at, retry_of) VALUES ($1, 'Running', $2, $3) RETURNING id",
        [type, this.iso(), retryOf],
      );
      const id = rows[0].id;
      await q.query('INSERT INTO ledger_run_objects (run_id, object) SELECT $1, unnest($2::text[])', [
        id,
        OBJECT_KINDS,
      ]);
      return id;
    });
  }

  async finishRun(runId: number, status: RunStatus, message: string | null, apiCalls: number): Promise<void> {
    await this.q.query(
      'UPDATE ledger_runs SET status = $1, finished_at = $2, message = $3, api_calls = api_calls + $4 WHERE id = $5',
      [status, this.iso(), message, apiCalls, runId],
    );
  }

  async closeInterruptedRuns(): Promise<number[]> {
    const { rows } = await this.q.query<{ id: number }>(
      `UPDATE ledger_runs SET status = 'Stopped', finished_at = COALESCE(finished_at, $1), message = COALESCE(message, $2)
       WHERE status = 'Running' RETURNING id`,
      [this.iso(), 'The process ended before the run finished; its Bulk jobs are resumed by the next run.'],
    );
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }

  async run(runId: number): Promise<RunRecord | undefined> {
    return (await this.q.query<RunRecord>(`SELECT ${RUN_COLUMNS} FROM ledger_runs WHERE id = $1`, [runId])).rows[0];
  }

  async runs(limit: number): Promise<RunRecord[]> {
    return (await this.q.query<RunRecord>(`SELECT ${RUN_COLUMNS} FROM ledger_runs ORDER BY id DESC LIMIT $1`, [limit]))
      .rows;
  }

  async lastRun(type?: RunType): Promise<RunRecord | undefined> {
    const sql = `SELECT ${RUN_COLUMNS} FROM ledger_runs ${type ? 'WHERE type = $1' : ''} ORDER BY id DESC LIMIT 1`;
    return (await this.q.query<RunRecord>(sql, type ? [type] : [])).rows[0];
  }

  async addCounts(runId: number, object: ObjectKind, delta: Partial<ObjectCounts>): Promise<void> {
    const d = { ...emptyCounts(), ...delta };
    await this.q.query(
      `UPDATE ledger_run_objects SET processed = processed + $1, succeeded = succeeded + $2, failed = failed + $3,
         held_back = held_back + $4, deleted = deleted + $5, truncated = truncated + $6 WHERE run_id = $7 AND object = $8`,
      [d.processed, d.succeeded, d.failed, d.heldBack, d.deleted, d.truncated, runId, object],
    );
  }

  async runCounts(runId: number): Promise<Record<ObjectKind, ObjectCounts>> {
    const { rows } = await this.q.query<ObjectCounts & { object: ObjectKind }>(
      `SELECT object, processed, succeeded, failed, held_back AS "heldBack", deleted, truncated
       FROM ledger_run_objects WHERE run_id = $1`,
      [runId],
    );
    const out = { community: emptyCounts(), member: emptyCounts(), activity: emptyCounts() };
    for (const { object, ...counts } of rows) out[object] = counts;
    return out;
  }

  async createJob(job: NewJob): Promise<number> {
    const { rows } = await this.q.query<{ id: number }>(
      `INSERT INTO ledger_jobs (run_id, object, operation, purpose, path, sf_job_id, state, records, bytes, seq_hi, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        job.runId,
        job.object,
        job.operation,
        job.purpose,
        job.path,
        job.sfJobId,
        job.state,
        job.records,
        job.bytes,
        job.seqHi,
        this.iso(),
      ],
    );
    return rows[0].id;
  }

  async updateJob(id: number, patch: JobPatch): Promise<void> {
    const keys = Object.keys(patch).filter((k) => k in JOB_PATCH_COLUMNS);
    if (keys.length === 0) return;
    const sets = keys.map((k, i) => `${JOB_PATCH_COLUMNS[k]} = $${i + 2}`).join(', ');
    await this.q.query(`UPDATE ledger_jobs SET ${sets} WHERE id = $1`, [
      id,
      ...keys.map((k) => (patch as Record<string, unknown>)[k]),
    ]);
  }

  async job(id: number): Promise<JobRecord | undefined> {
    return (await this.q.query<JobRecord>(`SELECT ${JOB_COLUMNS} FROM ledger_jobs WHERE id = $1`, [id])).rows[0];
  }

  async jobsOfRun(runId: number): Promise<JobRecord[]> {
    return (
      await this.q.query<JobRecord>(`SELECT ${JOB_COLUMNS} FROM ledger_jobs WHERE run_id = $1 ORDER BY id`, [runId])
    ).rows;
  }

  async unfinishedJobs(): Promise<JobRecord[]> {
    return (
      await this.q.query<JobRecord>(`SELECT ${JOB_COLUMNS} FROM ledger_jobs WHERE results_at IS NULL ORDER BY id`)
    ).rows;
  }

  async watermark(object: ObjectKind): Promise<number> {
    const { rows } = await this.q.query<{ seq: number }>('SELECT seq FROM ledger_watermarks WHERE object = $1', [
      object,
    ]);
    return rows[0]?.seq ?? 0;
  }

  async setWatermark(object: ObjectKind, seq: number, runId: number): Promise<void> {
    await this.q.query(
      `INSERT INTO ledger_watermarks AS w (object, seq, run_id, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, object) DO UPDATE SET seq = greatest(w.seq, excluded.seq), run_id = excluded.run_id,
         updated_at = excluded.updated_at`,
      [object, seq, runId, this.iso()],
    );
  }

  async contactLink(memberId: string): Promise<ContactLink | undefined> {
    const { rows } = await this.q.query<ContactLink>(
      `SELECT ${LINK_COLUMNS} FROM ledger_contact_links WHERE member_id = $1`,
      [memberId],
    );
    return rows[0];
  }

  async markContactIntent(
    runId: number,
    members: ReadonlyArray<{ memberId: string; matchValue: string }>,
  ): Promise<void> {
    const last = lastOf(members, (m) => m.memberId);
    if (last.length === 0) return;
    await this.q.query(
      `INSERT INTO ledger_contact_links (member_id, match_value, intent_run_id, updated_at)
       SELECT m, v, $3::bigint, $4 FROM unnest($1::text[], $2::text[]) AS u(m, v)
       ON CONFLICT (tenant_id, member_id) DO UPDATE SET match_value = excluded.match_value,
         intent_run_id = excluded.intent_run_id, updated_at = excluded.updated_at`,
      [last.map((m) => m.memberId), last.map((m) => m.matchValue), runId, this.iso()],
    );
  }

  async saveContactLinks(runId: number, links: ReadonlyArray<LinkDecision>): Promise<void> {
    const last = lastOf(links, (l) => l.memberId);
    if (last.length === 0) return;
    const column = <T>(f: (l: LinkDecision) => T): T[] => last.map(f);
    await this.q.query(
      `INSERT INTO ledger_contact_links AS k (member_id, match_value, status, contact_id, lead_id, created_contact_id,
         rule, run_id, updated_at)
       SELECT m, v, s, c, l, cc, r, $8::bigint, $9
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(m, v, s, c, l, cc, r)
       ON CONFLICT (tenant_id, member_id) DO UPDATE SET match_value = excluded.match_value, status = excluded.status,
         contact_id = excluded.contact_id, lead_id = excluded.lead_id, rule = excluded.rule,
         created_contact_id = COALESCE(excluded.created_contact_id, k.created_contact_id),
         run_id = excluded.run_id, updated_at = excluded.updated_at`,
      [
        column((l) => l.memberId),
        column((l) => l.matchValue),
        column((l) => l.status),
        column((l) => l.contactId),
        column((l) => l.leadId),
        column((l) => l.createdContactId ?? null),
        column((l) => l.rule ?? null),
        runId,
        this.iso(),
      ],
    );
  }

  async addEvent(
    type: string,
    message: string,
    runId: number | null = null,
    code: string | null = null,
  ): Promise<void> {
    await this.q.query('INSERT INTO ledger_events (at, type, code, message, run_id) VALUES ($1, $2, $3, $4, $5)', [
      this.iso(),
      type,
      code,
      message,
      runId,
    ]);
  }

  async eventsOfRun(runId: number): Promise<LedgerEvent[]> {
    return (
      await this.q.query<LedgerEvent>(
        `SELECT id, at, type, code, message, run_id AS "runId" FROM ledger_events WHERE run_id = $1 ORDER BY id`,
        [runId],
      )
    ).rows;
  }

  async recentEvents(limit: number): Promise<LedgerEvent[]> {
    return (
      await this.q.query<LedgerEvent>(
        `SELECT id, at, type, code, message, run_id AS "runId" FROM ledger_events ORDER BY id DESC LIMIT $1`,
        [limit],
      )
    ).rows;
  }

  // ---- batch look-ups: one statement for a whole page of records ----------------------------------------
  async sfIds(object: ObjectKind, externalIds: readonly string[]): Promise<Map<string, string>> {
    const { rows } = await this.q.query<{ e: string; s: string }>(
      'SELECT external_id AS e, sf_id AS s FROM ledger_records WHERE object = $1 AND external_id = ANY($2::text[])',
      [object, [...externalIds]],
    );
    return new Map(rows.map((r) => [r.e, r.s]));
  }

  async contactLinks(memberIds: readonly string[]): Promise<Map<string, ContactLink>> {
    const { rows } = await this.q.query<ContactLink>(
      `SELECT ${LINK_COLUMNS} FROM ledger_contact_links WHERE member_id = ANY($1::text[])`,
      [[...memberIds]],
    );
    return new Map(rows.map((l) => [l.memberId, l]));
  }
}
