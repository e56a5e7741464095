import type { ContactLink, MatchLedger, MatchedObject } from '../../sync/ledger';
import type { Promised } from '../../sync/store/async';
import type { Exec } from './exec';
import { LINK_COLUMNS } from './ledger-columns';
import { lastOf } from './ledger-records';

/**
 * The matching side of the ledger (`MatchLedger`) in the tenant's tables. Stamps are ISO text compared
 * byte-wise (COLLATE "C"), as the SQLite store compares them.
 */
export class PgMatchLedger implements Promised<MatchLedger> {
  constructor(private readonly q: Exec) {}

  async watermark(object: MatchedObject): Promise<string | null> {
    const { rows } = await this.q.query<{ stamp: string }>(
      'SELECT stamp FROM ledger_match_watermarks WHERE object = $1',
      [object],
    );
    return rows[0]?.stamp ?? null;
  }

  async setWatermark(object: MatchedObject, stamp: string, runId: number): Promise<void> {
    await this.q.query(
      `INSERT INTO ledger_match_watermarks AS w (object, stamp, run_id, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, object) DO UPDATE SET stamp = greatest(w.stamp COLLATE "C", excluded.stamp COLLATE "C"),
         run_id = excluded.run_id, updated_at = excluded.updated_at`,
      [object, stamp, runId, new Date().toISOString()],
    );
  }

  async clearWatermarks(): Promise<void> {
    await this.q.query('DELETE FROM ledger_match_watermarks');
  }

  async seenStamp(object: MatchedObject, id: string): Promise<string | null> {
    const { rows } = await this.q.query<{ stamp: string }>(
      'SELECT stamp FROM ledger_match_seen WHERE object = $1 AND id = $2',
      [object, id],
    );
    return rows[0]?.stamp ?? null;
  }

  async recordSeen(
    object: MatchedObject,
    seen: ReadonlyArray<{ id: string; stamp: string }>,
    mark: string,
  ): Promise<void> {
    const kept = lastOf(
      seen.filter((s) => s.stamp >= mark),
      (s) => s.id,
    );
    await this.q.atomic(async (q) => {
      await q.query('DELETE FROM ledger_match_seen WHERE object = $1 AND stamp COLLATE "C" < $2', [object, mark]);
      if (kept.length === 0) return;
      await q.query(
        `INSERT INTO ledger_match_seen (object, id, stamp) SELECT $1, i, s FROM unnest($2::text[], $3::text[]) AS u(i, s)
         ON CONFLICT (tenant_id, object, id) DO UPDATE SET stamp = excluded.stamp`,
        [object, kept.map((s) => s.id), kept.map((s) => s.stamp)],
      );
    });
  }

  async waiting(): Promise<string[]> {
    const { rows } = await this.q.query<{ id: string }>('SELECT member_id AS id FROM ledger_match_waiting');
    return rows.map((r) => r.id);
  }

  async waitingCount(reason?: string): Promise<number> {
    const { rows } = reason
      ? await this.q.query<{ n: number }>('SELECT COUNT(*) AS n FROM ledger_match_waiting WHERE reason = $1', [reason])
      : await this.q.query<{ n: number }>('SELECT COUNT(*) AS n FROM ledger_match_waiting');
    return rows[0].n;
  }

  async addWaiting(runId: number, memberIds: Iterable<string>, reason: string): Promise<void> {
    await this.q.query(
      `INSERT INTO ledger_match_waiting (member_id, run_id, reason) SELECT DISTINCT unnest($1::text[]), $2::bigint, $3
       ON CONFLICT (tenant_id, member_id) DO UPDATE SET run_id = excluded.run_id, reason = excluded.reason`,
      [[...memberIds], runId, reason],
    );
  }

  async allMembersWait(runId: number, reason: string): Promise<number> {
    const r = await this.q.query(
      `INSERT INTO ledger_match_waiting (member_id, run_id, reason)
       SELECT external_id, $1::bigint, $2 FROM ledger_records WHERE object = 'member'
       ON CONFLICT (tenant_id, member_id) DO UPDATE SET run_id = excluded.run_id, reason = excluded.reason`,
      [runId, reason],
    );
    return r.rowCount;
  }

  async removeWaiting(memberIds: Iterable<string>): Promise<void> {
    await this.q.query('DELETE FROM ledger_match_waiting WHERE member_id = ANY($1::text[])', [[...memberIds]]);
  }

  async linksByValue(values: Iterable<string>): Promise<ContactLink[]> {
    return this.many('match_value', values);
  }

  async linksByContact(ids: Iterable<string>): Promise<ContactLink[]> {
    return this.many('contact_id', ids);
  }

  async linksByLead(ids: Iterable<string>): Promise<ContactLink[]> {
    return this.many('lead_id', ids);
  }

  private async many(column: 'match_value' | 'contact_id' | 'lead_id', keys: Iterable<string>): Promise<ContactLink[]> {
    const { rows } = await this.q.query<ContactLink>(
      `SELECT ${LINK_COLUMNS} FROM ledger_contact_links WHERE ${column} = ANY($1::text[]) ORDER BY member_id COLLATE "C"`,
      [[...new Set(keys)]],
    );
    return rows;
  }
}
