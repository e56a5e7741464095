import { Pool } from 'pg';
import { usePostgres } from '../../../test-support/postgres';
import { migrate, MIGRATION_LOCK_ID } from '../migrate';
import { STEPS } from '../schema-steps';
import { inTenantScope, withTenant } from '../tenant-scope';

/** The schema: migrations under an advisory lock, row-level security on every tenant table, the change sequence. */
describe('server schema', () => {
  const pools: Pool[] = [];
  // Registered before usePostgres, so the pools close before the database is dropped.
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });
  const pg = usePostgres();
  const pool = (): Pool => {
    const p = new Pool({ connectionString: pg.url, max: 4 });
    pools.push(p);
    return p;
  };

  it('two processes migrating at once: one waits for the lock, the steps run exactly once', async () => {
    const holder = pool();
    const lock = await holder.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const a = migrate(pool());
    const b = migrate(pool());
    // Both wait on the advisory lock while it is held elsewhere.
    for (let i = 0; i < 100; i += 1) {
      const { rows } = await holder.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'",
      );
      if (Number(rows[0].n) === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const waiting = await holder.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'",
    );
    expect(Number(waiting.rows[0].n)).toBe(2);
    expect((await holder.query("SELECT to_regclass('tenants') AS t")).rows[0].t).toBeNull();
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    lock.release();
    const [ranA, ranB] = await Promise.all([a, b]);
    const all = [...ranA, ...ranB].sort();
    expect(all).toEqual(Object.keys(STEPS).sort());
    expect([ranA.length, ranB.length].sort()).toEqual([0, Object.keys(STEPS).length]);
    expect(await migrate(pool())).toEqual([]);
  });

  type TenantTable = { table: string; rls: boolean; forced: boolean; policies: string; tenantDefault: string | null };

  /**
   * The tenant-private tables, read from the catalogue (every table with a tenant_id, but the operator's):
   * the one list, so a table a later migration adds is checked without being named here.
   */
  async function tenantTables(): Promise<TenantTable[]> {
    await migrate(pool());
    const { rows } = await pool().query<TenantTable>(`
      SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
             (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
             pg_get_expr(d.adbin, d.adrelid) AS "tenantDefault"
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
        -- Operator tables (no privilege for the application role): wrapped keys, schedules, run attempts (and pruned counts);
        -- the people layer's operator-wide tables and its audit trail (tested in server/people/__tests__).
        AND c.relname NOT IN ('tenant_keys', 'tenant_schedules', 'run_attempts', 'run_attempts_pruned',
                              'memberships', 'invitations', 'sessions', 'audit_events')`);
    return rows;
  }

  it('forces row-level security with a tenant policy on every table that has a tenant_id', async () => {
    const rows = await tenantTables();
    expect(rows.length).toBeGreaterThanOrEqual(28);
    expect(rows.filter((r) => !r.rls || !r.forced || Number(r.policies) !== 1)).toEqual([]);
  });

  it("defaults tenant_id to the transaction's tenant on every tenant-private table", async () => {
    const rows = await tenantTables();
    expect(rows.length).toBeGreaterThanOrEqual(28);
    const tenantOfTransaction = /^\(NULLIF\(current_setting\('app\.tenant'::text, true\), ''::text\)\)::bigint$/;
    expect(
      rows.filter((r) => !tenantOfTransaction.test(r.tenantDefault ?? '')).map((r) => `${r.table}: ${r.tenantDefault}`),
    ).toEqual([]);
  });

  it('compares every text column of the tenant-private tables byte by byte, as the embedded store does', async () => {
    await migrate(pool());
    const { rows } = await pool().query<{ col: string }>(`
      SELECT c.relname || '.' || a.attname || ' (' || a.attcollation::regcollation || ')' AS col
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND c.relforcerowsecurity
        AND a.atttypid = 'text'::regtype AND a.attcollation <> 'pg_catalog."C"'::regcollation`);
    expect(rows.map((r) => r.col)).toEqual([]);
    // A column's own order is byte order: upper case before lower case, 'é' after 'z'.
    const p = pool();
    const { rows: t } = await p.query<{ id: string }>("INSERT INTO tenants (name) VALUES ('bytes') RETURNING id");
    const ids = await withTenant(p, Number(t[0].id), async (c) => {
      await c.query(
        `INSERT INTO members (id, seq, community_id, name, status)
         SELECT v, n, 'T1', v, 'Active' FROM unnest(ARRAY['b', 'é', 'B', 'a', 'z']::text[]) WITH ORDINALITY AS u(v, n)`,
      );
      return (await c.query<{ id: string }>('SELECT id FROM members ORDER BY id')).rows.map((r) => r.id);
    });
    expect(ids).toEqual(['B', 'a', 'b', 'z', 'é']);
  });

  it("deleting a tenant deletes its rows of every table, another tenant's stay, the session's scope is kept", async () => {
    await migrate(pool());
    const p = pool();
    const { rows } = await p.query<{ id: string }>(
      "INSERT INTO tenants (name) VALUES ('gone'), ('stays') RETURNING id",
    );
    const [gone, stays] = rows.map((r) => Number(r.id));
    for (const t of [gone, stays])
      await withTenant(p, t, async (c) => {
        await c.query(
          "INSERT INTO members (id, seq, community_id, name, status) VALUES ('U1', 1, 'T1', 'Ada', 'Active')",
        );
        await c.query(
          `INSERT INTO activities (id, seq, community_id, member_id, activity_type, source_type, occurred_at, occurred_ms, summary)
           VALUES ('A1', 2, 'T1', 'U1', 'Message', 'slack', '2026-01-01', 0, 'hi')`,
        );
        await c.query(
          "INSERT INTO ledger_records (object, external_id, sf_id, run_id) VALUES ('member', 'U1', 'a01', 1)",
        );
        await c.query(`INSERT INTO tenant_settings (key, value) VALUES ('k', '"v"')`);
      });
    const tables = (
      await p.query<{ t: string }>(
        `SELECT c.relname AS t FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
         WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace`,
      )
    ).rows.map((r) => r.t);
    // The administrative role of these tests bypasses row-level security: the counts are every row.
    const count = async (tenant: number): Promise<number> => {
      let n = 0;
      for (const t of tables)
        n += Number((await p.query(`SELECT count(*) AS n FROM ${t} WHERE tenant_id = $1`, [tenant])).rows[0].n);
      return n;
    };
    expect(await count(gone)).toBeGreaterThanOrEqual(4);
    const before = await count(stays);
    const c = await p.connect();
    try {
      await c.query('BEGIN');
      await c.query("SELECT set_config('app.tenant', $1, true)", [String(stays)]);
      await c.query('DELETE FROM tenants WHERE id = $1', [gone]);
      expect((await c.query("SELECT current_setting('app.tenant') AS s")).rows[0].s).toBe(String(stays));
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    expect(await count(gone)).toBe(0);
    expect(await count(stays)).toBe(before);
  });

  describe('a session scoped to one tenant', () => {
    let ids: { a: number; b: number };
    const member = (tenant: number, id: string, seq: number): [string, unknown[]] => [
      `INSERT INTO members (tenant_id, id, seq, community_id, name, status) VALUES ($1, $2, $3, 'T1', $2, 'Active')`,
      [tenant, id, seq],
    ];
    beforeAll(async () => {
      const p = pool();
      const { rows } = await p.query<{ id: string; name: string }>(
        "INSERT INTO tenants (name) VALUES ('rls-a'), ('rls-b') RETURNING id, name",
      );
      ids = { a: Number(rows[0].id), b: Number(rows[1].id) };
      await withTenant(p, ids.a, (c) => c.query(...member(ids.a, 'U-A', 1)));
      await withTenant(p, ids.b, (c) => c.query(...member(ids.b, 'U-B', 1)));
    });

    it("cannot read another tenant's rows", async () => {
      const seen = await withTenant(pool(), ids.a, async (c) => ({
        all: (await c.query<{ id: string }>('SELECT id FROM members')).rows.map((r) => r.id),
        asked: (await c.query('SELECT id FROM members WHERE tenant_id = $1', [ids.b])).rowCount,
        direct: (await c.query("SELECT id FROM members WHERE id = 'U-B'")).rowCount,
      }));
      expect(seen).toEqual({ all: ['U-A'], asked: 0, direct: 0 });
    });

    it("cannot update, delete or insert another tenant's rows", async () => {
      const p = pool();
      const changed = await withTenant(p, ids.a, async (c) => ({
        updated: (await c.query("UPDATE members SET name = 'taken' WHERE id = 'U-B'")).rowCount,
        deleted: (await c.query('DELETE FROM members WHERE tenant_id = $1', [ids.b])).rowCount,
      }));
      expect(changed).toEqual({ updated: 0, deleted: 0 });
      await expect(withTenant(p, ids.a, (c) => c.query(...member(ids.b, 'U-X', 2)))).rejects.toMatchObject({
        code: '42501',
      });
      await expect(
        withTenant(p, ids.a, (c) => c.query('UPDATE members SET tenant_id = $1', [ids.b])),
      ).rejects.toMatchObject({ code: '42501' });
      const bRows = await withTenant(
        p,
        ids.b,
        async (c) => (await c.query<{ id: string; name: string }>('SELECT id, name FROM members')).rows,
      );
      expect(bRows).toEqual([{ id: 'U-B', name: 'U-B' }]);
    });

    it('sees nothing without a tenant, cannot read the wrapped keys, and leaves no setting on the pooled connection', async () => {
      const p = new Pool({ connectionString: pg.url, max: 1 });
      pools.push(p);
      const c = await p.connect();
      try {
        await c.query('BEGIN');
        await c.query('SET LOCAL ROLE tightknit_app');
        expect((await c.query('SELECT * FROM members')).rowCount).toBe(0);
        await expect(c.query('SELECT * FROM tenant_keys')).rejects.toMatchObject({ code: '42501' });
        await c.query('ROLLBACK');
      } finally {
        c.release();
      }
      await withTenant(p, ids.a, (tc) => tc.query('SELECT 1'));
      const after = await p.query<{ t: string | null; role: string }>(
        "SELECT current_setting('app.tenant', true) AS t, current_user AS role",
      );
      expect(after.rows[0].t ?? '').toBe('');
      expect(after.rows[0].role).not.toBe('tightknit_app');
    });

    it("inside an operator's transaction, a tenant scope sees that tenant only and hands the transaction back", async () => {
      const c = await pool().connect();
      try {
        await c.query('BEGIN');
        const operator = (await c.query<{ u: string }>('SELECT current_user AS u')).rows[0].u;
        const members = async (): Promise<string[]> =>
          (await c.query<{ id: string }>('SELECT id FROM members ORDER BY id')).rows.map((r) => r.id);
        const role = async (): Promise<string> => (await c.query<{ u: string }>('SELECT current_user AS u')).rows[0].u;
        const inA = await inTenantScope(c, ids.a, async () => ({ members: await members(), role: await role() }));
        const inB = await inTenantScope(c, ids.b, members);
        expect({ inA, inB }).toEqual({ inA: { members: ['U-A'], role: 'tightknit_app' }, inB: ['U-B'] });
        const back = await c.query<{ t: string; u: string }>(
          "SELECT current_setting('app.tenant', true) AS t, current_user AS u",
        );
        expect(back.rows[0]).toEqual({ t: '', u: operator });
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    });
  });

  it('hands out change sequence numbers per tenant in commit order, never blocking another tenant', async () => {
    const p = pool();
    const { rows } = await p.query<{ id: string }>(
      "INSERT INTO tenants (name) VALUES ('seq-a'), ('seq-b') RETURNING id",
    );
    const [a, b] = rows.map((r) => Number(r.id));
    const next = async (c: { query: Pool['query'] }, n = 1): Promise<number> =>
      Number((await c.query<{ s: string }>('SELECT next_change_seq($1) AS s', [n])).rows[0].s);
    let releaseFirst: () => void = () => undefined;
    const firstHolds = new Promise<void>((r) => (releaseFirst = r));
    const order: string[] = [];
    const first = withTenant(p, a, async (c) => {
      const s = await next(c, 3);
      order.push('first allocated');
      await firstHolds;
      order.push('first commits');
      return s;
    });
    while (!order.includes('first allocated')) await new Promise((r) => setTimeout(r, 10));
    const second = withTenant(p, a, async (c) => {
      const s = await next(c);
      order.push('second allocated');
      return s;
    });
    const otherTenant = await withTenant(p, b, (c) => next(c));
    await new Promise((r) => setTimeout(r, 200));
    expect(order).toEqual(['first allocated']);
    releaseFirst();
    expect(await first).toBe(3);
    expect(await second).toBe(4);
    expect(order).toEqual(['first allocated', 'first commits', 'second allocated']);
    expect(otherTenant).toBe(1);
  });
});
