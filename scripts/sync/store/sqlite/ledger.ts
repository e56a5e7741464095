import type Database from 'better-sqlite3';
import {
  OBJECT_KINDS,
  emptyCounts,
  errorCode,
  type ContactLink,
  type FailedObject,
  type FailedRecord,
  type JobPatch,
  type JobRecord,
  type Ledger,
  type LedgerEvent,
  type LinkDecision,
  type NewJob,
  type ObjectCounts,
  type PendingRecord,
  type RunRecord,
  type RunStatus,
  type RunType,
} from '../../ledger';
import type { ObjectKind } from '../types';
import { JOB_COLUMNS, JOB_PATCH_COLUMNS, LINK_COLUMNS, RUN_COLUMNS } from './ledger-columns';
import { StatementCache } from './statements';

/**
 * The sync history and the push's bookkeeping (contract: `Ledger` in scripts/sync/ledger), in the store's
 * SQLite file. Every method is one short synchronous statement or transaction, so a process killed at any
 * point leaves a consistent ledger.
 */
export class SqliteLedger implements Ledger {
  private readonly statements: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.statements = new StatementCache(db);
  }

  private stmt(sql: string): Database.Statement {
    return this.statements.get(sql);
  }

  now(): string {
    return new Date().toISOString();
  }

  // ---- runs -------------------------------------------------------------------------------------

  startRun(type: RunType, retryOf: number | null = null): number {
    const info = this.db
      .prepare("INSERT INTO ledger_runs (type, status, started_at, retry_of) VALUES (?, 'Running', ?, ?)")
      .run(type, this.now(), retryOf);
    const id = Number(info.lastInsertRowid);
    const add = this.stmt('INSERT INTO ledger_run_objects (run_id, object) VALUES (?, ?)');
    for (const o of OBJECT_KINDS) add.run(id, o);
    return id;
  }

  finishRun(runId: number, status: RunStatus, message: string | null, apiCalls: number): void {
    this.db
      .prepare(
        'UPDATE ledger_runs SET status = ?, finished_at = ?, message = ?, api_calls = api_calls + ? WHERE id = ?',
      )
      .run(status, this.now(), message, apiCalls, runId);
  }

  /** Runs left 'Running' by a process that died; they become 'Stopped' and their jobs are resumed. */
  closeInterruptedRuns(): number[] {
    const ids = (this.stmt("SELECT id FROM ledger_runs WHERE status = 'Running'").all() as Array<{ id: number }>).map(
      (r) => r.id,
    );
    for (const id of ids) {
      this.db
        .prepare(
          "UPDATE ledger_runs SET status = 'Stopped', finished_at = COALESCE(finished_at, ?), message = COALESCE(message, ?) WHERE id = ?",
        )
        .run(this.now(), 'The process ended before the run finished; its Bulk jobs are resumed by the next run.', id);
    }
    return ids;
  }

  run(runId: number): RunRecord | undefined {
    return this.db.prepare(`SELECT ${RUN_COLUMNS} FROM ledger_runs WHERE id = ?`).get(runId) as RunRecord | undefined;
  }

  runs(limit: number): RunRecord[] {
    return this.db.prepare(`SELECT ${RUN_COLUMNS} FROM ledger_runs ORDER BY id DESC LIMIT ?`).all(limit) as RunRecord[];
  }

  lastRun(type?: RunType): RunRecord | undefined {
    const sql = `SELECT id FROM ledger_runs ${type ? 'WHERE type = ?' : ''} ORDER BY id DESC LIMIT 1`;
    const row = (type ? this.stmt(sql).get(type) : this.stmt(sql).get()) as { id: number } | undefined;
    return row ? this.run(row.id) : undefined;
  }

  addCounts(runId: number, object: ObjectKind, delta: Partial<ObjectCounts>): void {
    this.db
      .prepare(
        `UPDATE ledger_run_objects SET processed = processed + @processed, succeeded = succeeded + @succeeded,
           failed = failed + @failed, held_back = held_back + @heldBack, deleted = deleted + @deleted,
           truncated = truncated + @truncated WHERE run_id = @runId AND object = @object`,
      )
      .run({ ...emptyCounts(), ...delta, runId, object });
  }

  runCounts(runId: number): Record<ObjectKind, ObjectCounts> {
    const rows = this.db
      .prepare(
        'SELECT object, processed, succeeded, failed, held_back AS heldBack, deleted, truncated FROM ledger_run_objects WHERE run_id = ?',
      )
      .all(runId) as Array<ObjectCounts & { object: ObjectKind }>;
    const out = { community: emptyCounts(), member: emptyCounts(), activity: emptyCounts() };
    for (const { object, ...counts } of rows) out[object] = counts;
    return out;
  }

  // ---- jobs -------------------------------------------------------------------------------------

  createJob(job: NewJob): number {
    const info = this.db
      .prepare(
        `INSERT INTO ledger_jobs (run_id, object, operation, purpose, path, sf_job_id, state, records, bytes, seq_hi, created_at)
         VALUES (@runId, @object, @operation, @purpose, @path, @sfJobId, @state, @records, @bytes, @seqHi, @createdAt)`,
      )
      .run({ ...job, createdAt: this.now() });
    return Number(info.lastInsertRowid);
  }

  updateJob(id: number, patch: JobPatch): void {
    const keys = Object.keys(patch).filter((k) => k in JOB_PATCH_COLUMNS);
    if (keys.length === 0) return;
    const sets = keys.map((k) => `${JOB_PATCH_COLUMNS[k]} = @${k}`).join(', ');
    this.stmt(`UPDATE ledger_jobs SET ${sets} WHERE id = @id`).run({ ...patch, id });
  }

  job(id: number): JobRecord | undefined {
    return this.stmt(`SELECT ${JOB_COLUMNS} FROM ledger_jobs WHERE id = ?`).get(id) as JobRecord | undefined;
  }

  jobsOfRun(runId: number): JobRecord[] {
    return this.db
      .prepare(`SELECT ${JOB_COLUMNS} FROM ledger_jobs WHERE run_id = ? ORDER BY id`)
      .all(runId) as JobRecord[];
  }

  /** Bulk jobs whose results were never read (the process stopped or died while they ran). */
  unfinishedJobs(): JobRecord[] {
    return this.db
      .prepare(`SELECT ${JOB_COLUMNS} FROM ledger_jobs WHERE results_at IS NULL ORDER BY id`)
      .all() as JobRecord[];
  }

  // ---- pushed records ------------------------------------------------------------------------------

  /** Salesforce ids of pushed records, in one transaction. Also resolves their earlier failures and holds. */
  recordSuccesses(runId: number, object: ObjectKind, rows: ReadonlyArray<readonly [string, string]>): void {
    const put = this.stmt(
      `INSERT INTO ledger_records (object, external_id, sf_id, run_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (object, external_id) DO UPDATE SET sf_id = excluded.sf_id, run_id = excluded.run_id`,
    );
    this.db.transaction(() => {
      for (const [ext, sfId] of rows) put.run(object, ext, sfId, runId);
    })();
  }

  resolveFailures(runId: number, object: FailedObject, externalIds: Iterable<string>): void {
    const upd = this.stmt(
      'UPDATE ledger_failed SET resolved_run_id = ? WHERE object = ? AND external_id = ? AND resolved_run_id IS NULL',
    );
    this.db.transaction(() => {
      for (const ext of externalIds) upd.run(runId, object, ext);
    })();
  }

  /** External ids with failures nobody has fixed yet (kept small: only failures). */
  /** External ids with a failure no later run fixed; with `codes`, only failures with one of those codes. */
  unresolvedFailureIds(object: FailedObject, codes?: readonly string[]): Set<string> {
    const byCode = codes ? ` AND code IN (${codes.map(() => '?').join(', ')})` : '';
    const rows = this.db
      .prepare(
        `SELECT DISTINCT external_id AS e FROM ledger_failed WHERE object = ? AND resolved_run_id IS NULL${byCode}`,
      )
      .all(object, ...(codes ?? [])) as Array<{ e: string }>;
    return new Set(rows.map((r) => r.e));
  }

  recordFailures(
    runId: number,
    jobId: number | null,
    object: FailedObject,
    rows: ReadonlyArray<readonly [string, string]>,
  ): void {
    const add = this.stmt(
      'INSERT INTO ledger_failed (run_id, job_id, object, external_id, code, error) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const supersede = this.stmt(
      'UPDATE ledger_failed SET resolved_run_id = ? WHERE object = ? AND external_id = ? AND resolved_run_id IS NULL AND run_id <> ?',
    );
    this.db.transaction(() => {
      for (const [ext, error] of rows) {
        // An older failure of the same record is now described by this newer one.
        supersede.run(runId, object, ext, runId);
        add.run(runId, jobId, object, ext, errorCode(error), error);
      }
    })();
  }

  /** Removes failures of a job (a lock-retry job that succeeded for these rows). */
  clearFailures(runId: number, object: ObjectKind, externalIds: Iterable<string>, code: string): void {
    const del = this.stmt('DELETE FROM ledger_failed WHERE run_id = ? AND object = ? AND external_id = ? AND code = ?');
    this.db.transaction(() => {
      for (const ext of externalIds) del.run(runId, object, ext, code);
    })();
  }

  failedOfRun(runId: number, unresolvedOnly = false): FailedRecord[] {
    return this.db
      .prepare(
        `SELECT run_id AS runId, job_id AS jobId, object, external_id AS externalId, code, error, resolved_run_id AS resolvedRunId
         FROM ledger_failed WHERE run_id = ? ${unresolvedOnly ? 'AND resolved_run_id IS NULL' : ''} ORDER BY id`,
      )
      .all(runId) as FailedRecord[];
  }

  sfId(object: ObjectKind, externalId: string): string | undefined {
    const row = this.db
      .prepare('SELECT sf_id AS s FROM ledger_records WHERE object = ? AND external_id = ?')
      .get(object, externalId) as { s: string } | undefined;
    return row?.s;
  }

  /** External ids of the object's records known to be in the org. */
  idsInOrg(object: ObjectKind): Set<string> {
    const rows = this.db
      .prepare('SELECT external_id AS e FROM ledger_records WHERE object = ?')
      .raw()
      .all(object) as string[][];
    return new Set(rows.map((r) => r[0]));
  }

  /** Written before a delete job is created: its results name records only by Salesforce id. */
  noteDeletes(runId: number, object: ObjectKind, rows: ReadonlyArray<{ ext: string; sfId: string }>): void {
    const put = this.stmt(
      `INSERT INTO ledger_deletes (object, sf_id, external_id, run_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (object, sf_id) DO UPDATE SET external_id = excluded.external_id, run_id = excluded.run_id`,
    );
    this.db.transaction(() => {
      for (const r of rows) put.run(object, r.sfId, r.ext, runId);
    })();
  }

  externalIdBySfId(object: ObjectKind, sfId: string): string | undefined {
    const row = this.stmt('SELECT external_id AS e FROM ledger_deletes WHERE object = ? AND sf_id = ?').get(
      object,
      sfId,
    ) as { e: string } | undefined;
    return row?.e;
  }

  forgetRecords(object: ObjectKind, externalIds: Iterable<string>): void {
    const del = this.stmt('DELETE FROM ledger_records WHERE object = ? AND external_id = ?');
    this.db.transaction(() => {
      for (const ext of externalIds) del.run(object, ext);
    })();
  }

  countRecords(object: ObjectKind): number {
    return (this.stmt('SELECT COUNT(*) AS n FROM ledger_records WHERE object = ?').get(object) as { n: number }).n;
  }

  // ---- held back ------------------------------------------------------------------------------------

  hold(
    runId: number,
    object: ObjectKind,
    rows: ReadonlyArray<{ externalId: string; reason: string; waitingOn: string | null }>,
  ): void {
    const put = this.stmt(
      `INSERT INTO ledger_pending (object, external_id, run_id, first_run_id, reason, waiting_on) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (object, external_id) DO UPDATE SET run_id = excluded.run_id, reason = excluded.reason, waiting_on = excluded.waiting_on`,
    );
    this.db.transaction(() => {
      for (const r of rows) put.run(object, r.externalId, runId, runId, r.reason, r.waitingOn);
    })();
  }

  release(object: ObjectKind, externalIds: Iterable<string>): void {
    const del = this.stmt('DELETE FROM ledger_pending WHERE object = ? AND external_id = ?');
    this.db.transaction(() => {
      for (const ext of externalIds) del.run(object, ext);
    })();
  }

  pendingIds(object: ObjectKind): string[] {
    return (
      this.db
        .prepare('SELECT external_id FROM ledger_pending WHERE object = ? ORDER BY external_id')
        .raw()
        .all(object) as string[][]
    ).map((r) => r[0]);
  }

  pendingOfRun(runId: number): PendingRecord[] {
    return this.db
      .prepare(
        `SELECT object, external_id AS externalId, run_id AS runId, first_run_id AS firstRunId, reason, waiting_on AS waitingOn
         FROM ledger_pending WHERE run_id = ? ORDER BY object, external_id`,
      )
      .all(runId) as PendingRecord[];
  }

  pendingSummary(): Array<{ object: ObjectKind; reason: string; count: number }> {
    return this.db
      .prepare(
        'SELECT object, reason, COUNT(*) AS count FROM ledger_pending GROUP BY object, reason ORDER BY object, reason',
      )
      .all() as Array<{ object: ObjectKind; reason: string; count: number }>;
  }

  // ---- watermarks -----------------------------------------------------------------------------------

  watermark(object: ObjectKind): number {
    const row = this.stmt('SELECT seq FROM ledger_watermarks WHERE object = ?').get(object) as
      { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  setWatermark(object: ObjectKind, seq: number, runId: number): void {
    this.db
      .prepare(
        `INSERT INTO ledger_watermarks (object, seq, run_id, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (object) DO UPDATE SET seq = MAX(seq, excluded.seq), run_id = excluded.run_id, updated_at = excluded.updated_at`,
      )
      .run(object, seq, runId, this.now());
  }

  // ---- contact links --------------------------------------------------------------------------------

  contactLink(memberId: string): ContactLink | undefined {
    return this.stmt(`SELECT ${LINK_COLUMNS} FROM ledger_contact_links WHERE member_id = ?`).get(memberId) as
      ContactLink | undefined;
  }

  /** Written before a Contact is created for these members, so a crash can be told apart from "never tried". */
  markContactIntent(runId: number, members: ReadonlyArray<{ memberId: string; matchValue: string }>): void {
    const put = this.stmt(
      `INSERT INTO ledger_contact_links (member_id, match_value, intent_run_id, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (member_id) DO UPDATE SET match_value = excluded.match_value, intent_run_id = excluded.intent_run_id, updated_at = excluded.updated_at`,
    );
    const at = this.now();
    this.db.transaction(() => {
      for (const m of members) put.run(m.memberId, m.matchValue, runId, at);
    })();
  }

  saveContactLinks(runId: number, links: ReadonlyArray<LinkDecision>): void {
    const put = this.stmt(
      `INSERT INTO ledger_contact_links (member_id, match_value, status, contact_id, lead_id, created_contact_id, rule, run_id, updated_at)
       VALUES (@memberId, @matchValue, @status, @contactId, @leadId, @createdContactId, @rule, @runId, @at)
       ON CONFLICT (member_id) DO UPDATE SET match_value = excluded.match_value, status = excluded.status,
         contact_id = excluded.contact_id, lead_id = excluded.lead_id, rule = excluded.rule,
         created_contact_id = COALESCE(excluded.created_contact_id, created_contact_id),
         run_id = excluded.run_id, updated_at = excluded.updated_at`,
    );
    const at = this.now();
    this.db.transaction(() => {
      for (const l of links) put.run({ createdContactId: null, rule: null, ...l, runId, at });
    })();
  }

  // ---- events ---------------------------------------------------------------------------------------

  addEvent(type: string, message: string, runId: number | null = null, code: string | null = null): void {
    this.db
      .prepare('INSERT INTO ledger_events (at, type, code, message, run_id) VALUES (?, ?, ?, ?, ?)')
      .run(this.now(), type, code, message, runId);
  }

  eventsOfRun(runId: number): LedgerEvent[] {
    return this.db
      .prepare('SELECT id, at, type, code, message, run_id AS runId FROM ledger_events WHERE run_id = ? ORDER BY id')
      .all(runId) as LedgerEvent[];
  }

  recentEvents(limit: number): LedgerEvent[] {
    return this.db
      .prepare('SELECT id, at, type, code, message, run_id AS runId FROM ledger_events ORDER BY id DESC LIMIT ?')
      .all(limit) as LedgerEvent[];
  }

  // ---- batch look-ups: one prepared statement, a row per key from the index -----------------------
  sfIds(object: ObjectKind, externalIds: readonly string[]): Map<string, string> {
    const sql = 'SELECT sf_id AS s FROM ledger_records WHERE object = ? AND external_id = ?';
    const found = this.statements.lookUp<{ s: string }>(sql, externalIds, (e) => [object, e]);
    return new Map([...found].map(([e, r]) => [e, r.s]));
  }

  contactLinks(memberIds: readonly string[]): Map<string, ContactLink> {
    const sql = `SELECT ${LINK_COLUMNS} FROM ledger_contact_links WHERE member_id = ?`;
    return this.statements.lookUp<ContactLink>(sql, memberIds, (id) => [id]);
  }
}
