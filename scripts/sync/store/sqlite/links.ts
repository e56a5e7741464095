import type Database from 'better-sqlite3';
import type { ContactLink, MatchLedger } from '../../ledger';
import { LINK_COLUMNS } from './ledger-columns';
import { StatementCache } from './statements';

/** The matching side of the ledger (tables of ledger migrations 2 and 3). */
export class SqliteMatchLedger implements MatchLedger {
  /** Prepared once: the change scan asks for the links of every changed person. */
  private readonly statements: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.statements = new StatementCache(db);
  }

  private stmt(sql: string): Database.Statement {
    return this.statements.get(sql);
  }

  watermark(object: 'Contact' | 'Lead'): string | null {
    const row = this.db.prepare('SELECT stamp FROM ledger_match_watermarks WHERE object = ?').get(object) as
      { stamp: string } | undefined;
    return row?.stamp ?? null;
  }

  /** Moves forward only: an older stamp (a re-read overlap) never moves it back. */
  setWatermark(object: 'Contact' | 'Lead', stamp: string, runId: number): void {
    this.db
      .prepare(
        `INSERT INTO ledger_match_watermarks (object, stamp, run_id, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (object) DO UPDATE SET stamp = MAX(stamp, excluded.stamp), run_id = excluded.run_id,
           updated_at = excluded.updated_at`,
      )
      .run(object, stamp, runId, new Date().toISOString());
  }

  /** Forgets the watermarks: the next run starts change tracking afresh (after a full re-match). */
  clearWatermarks(): void {
    this.db.prepare('DELETE FROM ledger_match_watermarks').run();
  }

  /** The SystemModstamp at which a changed person was last applied (only within the overlap window). */
  seenStamp(object: 'Contact' | 'Lead', id: string): string | null {
    const row = this.stmt('SELECT stamp FROM ledger_match_seen WHERE object = ? AND id = ?').get(object, id) as
      { stamp: string } | undefined;
    return row?.stamp ?? null;
  }

  /** After a scan's effects are recorded: forgets what the next scan no longer reads, remembers what it will. */
  recordSeen(object: 'Contact' | 'Lead', seen: ReadonlyArray<{ id: string; stamp: string }>, mark: string): void {
    const put = this.stmt(
      `INSERT INTO ledger_match_seen (object, id, stamp) VALUES (?, ?, ?)
       ON CONFLICT (object, id) DO UPDATE SET stamp = excluded.stamp`,
    );
    this.db.transaction(() => {
      this.stmt('DELETE FROM ledger_match_seen WHERE object = ? AND stamp < ?').run(object, mark);
      for (const s of seen) if (s.stamp >= mark) put.run(object, s.id, s.stamp);
    })();
  }

  waiting(): string[] {
    return (this.db.prepare('SELECT member_id AS id FROM ledger_match_waiting').all() as Array<{ id: string }>).map(
      (r) => r.id,
    );
  }

  /** Members waiting for a full look-up; with `reason`, only those waiting for that reason (e.g. MATCHING_UNAVAILABLE). */
  waitingCount(reason?: string): number {
    const row = reason
      ? this.db.prepare('SELECT COUNT(*) AS n FROM ledger_match_waiting WHERE reason = ?').get(reason)
      : this.db.prepare('SELECT COUNT(*) AS n FROM ledger_match_waiting').get();
    return (row as { n: number }).n;
  }

  addWaiting(runId: number, memberIds: Iterable<string>, reason: string): void {
    const put = this.db.prepare(
      `INSERT INTO ledger_match_waiting (member_id, run_id, reason) VALUES (?, ?, ?)
       ON CONFLICT (member_id) DO UPDATE SET run_id = excluded.run_id, reason = excluded.reason`,
    );
    this.db.transaction(() => {
      for (const id of memberIds) put.run(id, runId, reason);
    })();
  }

  /** Every member in the org waits for a full look-up (a rematch after the rules changed). */
  allMembersWait(runId: number, reason: string): number {
    return this.db
      .prepare(
        `INSERT INTO ledger_match_waiting (member_id, run_id, reason)
         SELECT external_id, ?, ? FROM ledger_records WHERE object = 'member'
         ON CONFLICT (member_id) DO UPDATE SET run_id = excluded.run_id, reason = excluded.reason`,
      )
      .run(runId, reason).changes;
  }

  removeWaiting(memberIds: Iterable<string>): void {
    const del = this.db.prepare('DELETE FROM ledger_match_waiting WHERE member_id = ?');
    this.db.transaction(() => {
      for (const id of memberIds) del.run(id);
    })();
  }

  /** Known links of members whose match value (lower-cased e-mail) is one of `values`. */
  linksByValue(values: Iterable<string>): ContactLink[] {
    return this.many('match_value', values);
  }

  linksByContact(ids: Iterable<string>): ContactLink[] {
    return this.many('contact_id', ids);
  }

  linksByLead(ids: Iterable<string>): ContactLink[] {
    return this.many('lead_id', ids);
  }

  private many(column: 'match_value' | 'contact_id' | 'lead_id', keys: Iterable<string>): ContactLink[] {
    const stmt = this.stmt(`SELECT ${LINK_COLUMNS} FROM ledger_contact_links WHERE ${column} = ?`);
    const out: ContactLink[] = [];
    for (const k of new Set(keys)) out.push(...(stmt.all(k) as ContactLink[]));
    return out;
  }
}
