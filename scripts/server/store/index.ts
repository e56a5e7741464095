import type { Pool } from 'pg';
import type { EngagementConfig } from '../../sync/engagement';
import type { AsyncStore, AsyncStoreWriter } from '../../sync/store/async';
import type { ActivityRow, CommunityRow, MemberRow, ObjectKind, StoredRow } from '../../sync/store/types';
import { PoolExec, openTransaction, type Exec } from './exec';
import { PgLedger } from './ledger';
import { PgMatchLedger } from './links';
import { SELECT, TABLES, stored } from './rows';
import { PgSlackCursors } from './slack-cursors';
import { PgEventInbox, PgFeedPositions, PgReceivers, PgSourceState } from './sources';
import { SeqCounter, recomputeMemberCounts, recomputeMemberStats } from './stats';
import { PgTransfer } from './transfer';
import { PgWriter } from './writer';

type Selected<T> = T & { seq: number; deleted: boolean };

/** Where a PostgreSQL store's statements go: a pool (each call its own transaction) or an open transaction. */
interface Scope {
  pool: Pool;
  tenantId: number;
  location: string;
  exec: Exec;
  /** Set inside `transaction`: a nested transaction or write is refused. */
  inTransaction: boolean;
}

/**
 * The PostgreSQL store of one tenant (the `AsyncStore` contract). Every statement runs inside
 * `withTenant`, as the application role with the tenant set, so row-level security limits it to the
 * tenant's rows; no statement names a tenant. The pool belongs to the caller: `close` leaves it open.
 */
export class PgStore implements AsyncStore {
  readonly ledger: PgLedger;
  readonly matchLedger: PgMatchLedger;
  readonly inbox: PgEventInbox;
  readonly receivers: PgReceivers;
  readonly slackCursors: PgSlackCursors;
  readonly feedPositions: PgFeedPositions;
  readonly sourceState: PgSourceState;
  readonly transfer: PgTransfer;
  private readonly q: Exec;

  private constructor(private readonly scope: Scope) {
    this.q = scope.exec;
    this.ledger = new PgLedger(this.q);
    this.matchLedger = new PgMatchLedger(this.q);
    this.inbox = new PgEventInbox(this.q);
    this.receivers = new PgReceivers(this.q);
    this.slackCursors = new PgSlackCursors(this.q);
    this.feedPositions = new PgFeedPositions(this.q);
    this.sourceState = new PgSourceState(this.q);
    this.transfer = new PgTransfer(this.q);
  }

  /**
   * The store of tenant `tenantId` (an id of the tenants table) on `pool`. `location` names it in
   * messages: give the database URL without its password, or the tenant's name.
   */
  static open(pool: Pool, tenantId: number, location: string): PgStore {
    return new PgStore({ pool, tenantId, location, exec: new PoolExec(pool, tenantId), inTransaction: false });
  }

  get location(): string {
    return this.scope.location;
  }

  async close(): Promise<void> {
    // Nothing of its own to release: every call returns its connection to the caller's pool.
  }

  private async page<T>(kind: ObjectKind, afterSeq: number, limit: number): Promise<StoredRow<T>[]> {
    const { rows } = await this.q.scan<Selected<CommunityRow | MemberRow | ActivityRow>>(
      `SELECT ${SELECT[kind]} FROM ${TABLES[kind]} WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map((r) => stored(r) as unknown as StoredRow<T>);
  }

  changedCommunities(afterSeq: number, limit: number): Promise<StoredRow<CommunityRow>[]> {
    return this.page('community', afterSeq, limit);
  }

  changedMembers(afterSeq: number, limit: number): Promise<StoredRow<MemberRow>[]> {
    return this.page('member', afterSeq, limit);
  }

  changedActivities(afterSeq: number, limit: number): Promise<StoredRow<ActivityRow>[]> {
    return this.page('activity', afterSeq, limit);
  }

  async countChanged(kind: ObjectKind, afterSeq: number): Promise<number> {
    const { rows } = await this.q.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${TABLES[kind]} WHERE seq > $1`, [
      afterSeq,
    ]);
    return rows[0].n;
  }

  async maxSeq(): Promise<number> {
    const { rows } = await this.q.query<{ s: number }>('SELECT last_seq AS s FROM tenant_sequences');
    return rows[0]?.s ?? 0;
  }

  private async get<T>(kind: ObjectKind, id: string): Promise<StoredRow<T> | undefined> {
    const { rows } = await this.q.query<Selected<CommunityRow | MemberRow | ActivityRow>>(
      `SELECT ${SELECT[kind]} FROM ${TABLES[kind]} WHERE id = $1`,
      [id],
    );
    return rows[0] ? (stored(rows[0]) as unknown as StoredRow<T>) : undefined;
  }

  getCommunity(id: string): Promise<StoredRow<CommunityRow> | undefined> {
    return this.get('community', id);
  }

  getMember(id: string): Promise<StoredRow<MemberRow> | undefined> {
    return this.get('member', id);
  }

  getActivity(id: string): Promise<StoredRow<ActivityRow> | undefined> {
    return this.get('activity', id);
  }

  async counts(): Promise<Record<ObjectKind, number>> {
    const { rows } = await this.q.query<Record<ObjectKind, number>>(
      `SELECT (SELECT COUNT(*) FROM communities WHERE NOT deleted) AS community,
              (SELECT COUNT(*) FROM members WHERE NOT deleted) AS member,
              (SELECT COUNT(*) FROM activities WHERE NOT deleted) AS activity`,
    );
    return rows[0];
  }

  rescore(now: Date, config: EngagementConfig): Promise<{ changed: number }> {
    return this.transaction(async (tx) => {
      const q = tx.scope.exec;
      const seq = await SeqCounter.start(q);
      const changed = (await recomputeMemberStats(q, seq, now, config)).length;
      await recomputeMemberCounts(q, seq);
      await seq.save();
      return { changed };
    });
  }

  async beginWrite(): Promise<AsyncStoreWriter> {
    this.refuseNesting('a write');
    const tx = await openTransaction(this.scope.pool, this.scope.tenantId);
    return PgWriter.start(tx, (q) => ({
      inbox: new PgEventInbox(q),
      slackCursors: new PgSlackCursors(q),
      feedPositions: new PgFeedPositions(q),
    }));
  }

  async transaction<T>(fn: (tx: PgStore) => Promise<T>): Promise<T> {
    this.refuseNesting('a transaction');
    const open = await openTransaction(this.scope.pool, this.scope.tenantId);
    let result: T;
    try {
      result = await fn(new PgStore({ ...this.scope, exec: open.exec, inTransaction: true }));
    } catch (err) {
      await open.rollback();
      throw err;
    }
    await open.commit();
    return result;
  }

  private refuseNesting(what: string): void {
    if (this.scope.inTransaction) {
      throw new Error(`Cannot start ${what} inside a store transaction: use the transaction's own writes (tx).`);
    }
  }
}
