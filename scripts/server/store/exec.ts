import { types, type Pool, type PoolClient, type QueryResultRow } from 'pg';
import { withTenant } from '../db/tenant-scope';

const INT8 = 20;
const NUMERIC = 1700;
const TIMESTAMPTZ = 1184;
type Parser = (value: string) => unknown;
const builtIn = types.getTypeParser as (oid: number, format?: 'text' | 'binary') => Parser;
const parseTimestamp = builtIn(TIMESTAMPTZ);

/**
 * How the store reads values: counts and sequences (bigint, numeric) as numbers, the way the SQLite
 * store returns them, and times as ISO-8601 UTC strings, the contract's form. Per query, so the pool's
 * other users keep pg's defaults.
 */
const STORE_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    if (oid === TIMESTAMPTZ) return (v: string) => (parseTimestamp(v) as Date).toISOString();
    return builtIn(oid, format ?? 'text');
  },
};

/** What a statement returned. */
export interface Result<R> {
  rows: R[];
  rowCount: number;
}

/** Runs the store's statements in one tenant's scope. */
export interface Exec {
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<Result<R>>;
  /**
   * A page read in an index's order (`ORDER BY seq LIMIT n` on the `(tenant_id, seq)` index): like
   * `query`, with the planner told not to sort. Right after a large write (a backfill's import) the
   * table's statistics are stale, and the planner then chose to fetch every row after `seq` and sort
   * them for each page: a backfill's 100 pages of 1,000 activities took 8 s instead of 1 s.
   */
  scan<R extends QueryResultRow = QueryResultRow>(sql: string, params: unknown[]): Promise<Result<R>>;
  /** Runs `fn` as one transaction (or inside the one already open). */
  atomic<T>(fn: (q: Exec) => Promise<T>): Promise<T>;
}

async function run<R extends QueryResultRow>(client: PoolClient, sql: string, params: unknown[]): Promise<Result<R>> {
  const r = await client.query<R>({ text: sql, values: params, types: STORE_TYPES });
  return { rows: r.rows, rowCount: r.rowCount ?? 0 };
}

/** Statements on a connection whose tenant transaction is already open. */
export class HeldExec implements Exec {
  /** `client`: the connection whose tenant transaction is open (COPY streams use it directly). */
  constructor(readonly client: PoolClient) {}

  query<R extends QueryResultRow = QueryResultRow>(sql: string, params: unknown[] = []): Promise<Result<R>> {
    return run<R>(this.client, sql, params);
  }

  /** In an open transaction a setting would outlive the read (SET LOCAL lasts to its end): a plain read. */
  scan<R extends QueryResultRow = QueryResultRow>(sql: string, params: unknown[]): Promise<Result<R>> {
    return run<R>(this.client, sql, params);
  }

  atomic<T>(fn: (q: Exec) => Promise<T>): Promise<T> {
    return fn(this);
  }
}

/** Statements on an open transaction that first run `before` (a writer's buffered rows go out first). */
export class FlushingExec implements Exec {
  constructor(
    private readonly inner: Exec,
    private readonly before: () => Promise<void>,
  ) {}

  async query<R extends QueryResultRow = QueryResultRow>(sql: string, params: unknown[] = []): Promise<Result<R>> {
    await this.before();
    return this.inner.query<R>(sql, params);
  }

  async scan<R extends QueryResultRow = QueryResultRow>(sql: string, params: unknown[]): Promise<Result<R>> {
    await this.before();
    return this.inner.scan<R>(sql, params);
  }

  atomic<T>(fn: (q: Exec) => Promise<T>): Promise<T> {
    return fn(this);
  }
}

/** `scan`'s setting, sent with the tenant scope's opening (no round trip of its own), for its transaction only. */
const ORDERED_SCAN = '; SET LOCAL enable_sort = off';

/** Each call its own tenant transaction (`withTenant`): row-level security scopes every statement. */
export class PoolExec implements Exec {
  constructor(
    private readonly pool: Pool,
    private readonly tenantId: number,
  ) {}

  query<R extends QueryResultRow = QueryResultRow>(sql: string, params: unknown[] = []): Promise<Result<R>> {
    return withTenant(this.pool, this.tenantId, (c) => run<R>(c, sql, params));
  }

  scan<R extends QueryResultRow = QueryResultRow>(sql: string, params: unknown[]): Promise<Result<R>> {
    return withTenant(this.pool, this.tenantId, (c) => run<R>(c, sql, params), ORDERED_SCAN);
  }

  atomic<T>(fn: (q: Exec) => Promise<T>): Promise<T> {
    return withTenant(this.pool, this.tenantId, (c) => fn(new HeldExec(c)));
  }
}

/** Our advisory-lock key for a tenant's writes (the second key is the tenant id). */
const WRITE_LOCK = 7_357_211;

/** A tenant transaction left open across calls (a writer), ended by `commit` or `rollback`. */
export interface OpenTransaction {
  exec: HeldExec;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

class Rollback extends Error {}

/**
 * Opens a tenant transaction that stays open until `commit` or `rollback`, holding the tenant's write
 * lock: writes of one tenant take turns, in this process and in every other on the database, as the
 * contract says ("a second waits for it"). Built on `withTenant`, so role and tenant are set the same way.
 */
export async function openTransaction(pool: Pool, tenantId: number): Promise<OpenTransaction> {
  let finish!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (finish = resolve));
  let ready!: (exec: HeldExec) => void;
  let failed!: (err: unknown) => void;
  const opened = new Promise<HeldExec>((resolve, reject) => ((ready = resolve), (failed = reject)));
  const done = withTenant(pool, tenantId, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [WRITE_LOCK, tenantId]);
    ready(new HeldExec(client));
    if (!(await decided)) throw new Rollback();
  });
  done.catch((err: unknown) => failed(err));
  const exec = await opened;
  return {
    exec,
    commit: async () => {
      finish(true);
      await done;
    },
    rollback: async () => {
      finish(false);
      await done.catch((err: unknown) => {
        if (!(err instanceof Rollback)) throw err;
      });
    },
  };
}
