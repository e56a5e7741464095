import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { usePostgres } from '../../test-support/postgres';
import { withTenant } from '../db/tenant-scope';
import { cliHarness } from './cli-helpers';

/** The server-mode commands through the CLI's main(), against a database of this file's own. */
describe('tightknit-sync server-mode commands', () => {
  let admin: Pool;
  afterAll(async () => admin.end());
  const pg = usePostgres();
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');
  const { run, everything } = cliHarness({ key: oldKey });

  beforeAll(() => {
    admin = new Pool({ connectionString: pg.url });
  });
  const db = (...args: string[]) => run('--database', pg.url, ...args);

  it('an unreachable server: one line naming the host and the fix, exit 2, no password', async () => {
    const r = await run('--database', 'postgres://tk:sekret-pw@127.0.0.1:1/tightknit', 'tenants', 'list');
    expect(r.code).toBe(2);
    expect(r.text.trim().split('\n')).toHaveLength(1);
    expect(r.text).toContain('Cannot reach PostgreSQL at 127.0.0.1:1/tightknit (ECONNREFUSED)');
    expect(r.text).toContain('fix --database or TIGHTKNIT_DATABASE_URL');
    expect(r.text).not.toContain('sekret-pw');
  });

  it('a database that does not exist, or a URL that is not PostgreSQL: exit 2 with the fix', async () => {
    const missing = new URL(pg.url);
    missing.pathname = '/tk_no_such_db';
    const r = await run('--database', missing.toString(), 'tenants', 'list');
    expect(r.code).toBe(2);
    expect(r.text).toContain("Database 'tk_no_such_db' does not exist at");
    expect(r.text).toContain('createdb tk_no_such_db');
    const m = await run('--database', 'mysql://db/x', 'tenants', 'list');
    expect(m.code).toBe(2);
    expect(m.text).toContain('--database must be a postgres:// URL');
  });

  it('adds, lists and refuses duplicate or malformed tenants', async () => {
    expect((await db('tenants', 'add', 'acme')).code).toBe(0);
    const beta = await db('tenants', 'add', 'beta', '--community', 'Beta Builders');
    expect(beta.code).toBe(0);
    expect(beta.text).toContain("Tenant 'beta' added, with its own data key.");
    const dup = await db('tenants', 'add', 'acme');
    expect(dup.code).toBe(2);
    expect(dup.text).toContain("Tenant 'acme' exists already (active)");
    const bad = await db('tenants', 'add', 'Bad_Name');
    expect(bad.code).toBe(2);
    expect(bad.text).toContain("'Bad_Name' is not a tenant name");

    const list = await db('tenants', 'list', '--json');
    expect(list.code).toBe(0);
    const parsed = (JSON.parse(list.text) as { result: { tenants: Array<Record<string, unknown>> } }).result;
    expect(parsed.tenants.map((t) => [t.name, t.status, t.community, t.org, t.lastRun, t.lagSeconds])).toEqual([
      ['acme', 'active', null, null, null, null],
      ['beta', 'active', 'Beta Builders', null, null, null],
    ]);
  });

  it("lists each tenant's last run, read within the tenant's own scope", async () => {
    const { rows } = await admin.query<{ id: string }>("SELECT id FROM tenants WHERE name = 'acme'");
    await withTenant(admin, Number(rows[0].id), (c) =>
      c.query(
        `INSERT INTO ledger_runs (tenant_id, type, status, started_at, finished_at)
         VALUES ($1, 'backfill', 'Succeeded', '2026-12-06T01:00:00Z', '2026-12-06T01:02:00Z')`,
        [rows[0].id],
      ),
    );
    const r = await db('tenants', 'list');
    expect(r.code).toBe(0);
    const lines = r.text.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+COMMUNITY\s+ORG\s+STATUS\s+LAST RUN\s+LAG$/);
    expect(lines[1]).toMatch(/^acme\s+—\s+—\s+active\s+#\d+ backfill Succeeded 2026-12-06T01:00:00.000Z\s+—$/);
    expect(lines[2]).toMatch(/^beta\s+Beta Builders\s+—\s+active\s+—\s+—$/);
  });

  it('an unknown tenant name is answered with the list of tenants', async () => {
    const r = await db('tenants', 'remove', 'acne');
    expect(r.code).toBe(2);
    expect(r.text).toContain("There is no tenant 'acne'. Tenants: acme, beta.");
  });

  it('commands without server mode refuse --database and --tenant instead of ignoring them', async () => {
    const flag = await db('listen');
    expect(flag.code).toBe(2);
    expect(flag.text).toContain(
      '`listen` does not support server mode yet (--database was given); commands that do: tenants, rotate-key, migrate-state, serve, worker, users, audit, history, investigate, ingest, configure, start, pause, resume, sync, retry, rematch, verify, connect, disconnect, connect-slack, disconnect-slack, check.',
    );
    process.env.TIGHTKNIT_DATABASE_URL = pg.url;
    const env = await run('console', '--json');
    expect(env.code).toBe(2);
    expect(env.text).toContain('`console` does not support server mode yet (TIGHTKNIT_DATABASE_URL is set)');
    delete process.env.TIGHTKNIT_DATABASE_URL;
    const tenant = await run('--tenant', 'acme', 'pause');
    expect(tenant.code).toBe(2);
    expect(tenant.text).toContain('--tenant was given, but a tenant lives in a server-mode database');
    const named = await db('--tenant', 'acme', 'rotate-key');
    expect(named.code).toBe(2);
    expect(named.text).toContain('`rotate-key` acts on every tenant: drop --tenant.');
    const none = await run('tenants', 'list');
    expect(none.code).toBe(2);
    expect(none.text).toContain('`tenants` works on a server-mode database: give --database');
  });

  it('rotate-key re-wraps every data key; the old key alone then opens nothing; no key is ever printed', async () => {
    delete process.env.TIGHTKNIT_MASTER_KEY;
    const missing = await db('tenants', 'add', 'gamma');
    expect(missing.code).toBe(2);
    expect(missing.text).toContain('Server mode needs a master key');

    process.env.TIGHTKNIT_MASTER_KEY = newKey;
    process.env.TIGHTKNIT_PREVIOUS_MASTER_KEY = oldKey;
    const rotated = await db('rotate-key');
    expect(rotated.code).toBe(0);
    expect(rotated.text).toMatch(/Re-wrapped 2 tenants' data keys with master key [0-9a-f]{16} \(0 already were\)/);
    const again = await db('rotate-key', '--json');
    expect(JSON.parse(again.text)).toMatchObject({ status: 0, result: { rewrapped: 0, alreadyCurrent: 2 } });

    process.env.TIGHTKNIT_MASTER_KEY = oldKey;
    delete process.env.TIGHTKNIT_PREVIOUS_MASTER_KEY;
    const stale = await db('rotate-key');
    expect(stale.code).toBe(2);
    expect(stale.text).toContain('is neither TIGHTKNIT_MASTER_KEY');
  });

  it('remove keeps the data, add brings the tenant back, remove --delete-data deletes every row', async () => {
    const { rows } = await admin.query<{ id: string }>("SELECT id FROM tenants WHERE name = 'beta'");
    const id = Number(rows[0].id);
    await withTenant(admin, id, (c) =>
      c.query(
        "INSERT INTO members (tenant_id, id, seq, community_id, name, status) VALUES ($1, 'U1', next_change_seq(), 'T1', 'Ada', 'Active')",
        [id],
      ),
    );
    expect((await db('tenants', 'remove', 'beta')).code).toBe(0);
    const listed = (
      JSON.parse((await db('tenants', 'list', '--json')).text) as {
        result: { tenants: Array<{ name: string; status: string }> };
      }
    ).result;
    expect(listed.tenants.find((t) => t.name === 'beta')?.status).toBe('removed');

    process.env.TIGHTKNIT_MASTER_KEY = newKey;
    const back = await db('tenants', 'add', 'beta');
    expect(back.text).toContain("Tenant 'beta' is back in service, with the data it had.");
    const kept = await withTenant(admin, id, async (c) => (await c.query('SELECT id FROM members')).rowCount);
    expect(kept).toBe(1);

    const gone = await db('tenants', 'remove', 'beta', '--delete-data');
    expect(gone.code).toBe(0);
    expect(gone.text).toContain("Tenant 'beta' and all its data deleted.");
    const left = await admin.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM members WHERE tenant_id = $1) + (SELECT count(*) FROM tenant_keys WHERE tenant_id = $1)
            + (SELECT count(*) FROM tenant_sequences WHERE tenant_id = $1) AS n`,
      [id],
    );
    expect(Number(left.rows[0].n)).toBe(0);
    const names = (
      JSON.parse((await db('tenants', 'list', '--json')).text) as { result: { tenants: Array<{ name: string }> } }
    ).result.tenants.map((t) => t.name);
    expect(names).toEqual(['acme']);
  });

  it('never printed a master key', () => {
    const all = everything();
    expect(all).not.toContain(oldKey);
    expect(all).not.toContain(newKey);
  });
});
