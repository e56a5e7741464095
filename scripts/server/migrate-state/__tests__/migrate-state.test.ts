import { createHash, randomBytes } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { main } from '../../../cli/main';
import { startEmulator, type RunningEmulator } from '../../../org-emulator';
import { loadCredentials } from '../../../sync/connection/credential-store';
import { deleteSlackCredentials, saveSlackCredentials } from '../../../sync/connection/slack-credentials';
import { SAMPLE_EXPORT } from '../../../sync/ops/demo';
import { tempDir } from '../../../sync/ops/__tests__/fixtures';
import { OBJECT_KINDS, openStore, type AsyncStore } from '../../../sync/store';
import { openAsyncStore } from '../../../sync/store/sqlite/async';
import { usePostgres } from '../../../test-support/postgres';
import { contractView } from '../../../test-support/store-contract/transfer-view';
import { onStoreFile } from '../../../test-support/store-file';
import { openPool } from '../../db/connect';
import { resolveMasterKeys } from '../../secrets/master-key';
import { PgStore } from '../../store';
import { findTenant } from '../../tenants';
import { loadTenantConfig } from '../../tenant-state/config';
import { loadTenantCredentials, loadTenantSlackCredentials } from '../../tenant-state/credentials';

/** A state directory built the way an operator builds one (ingest, connect, configure, sync), moved into a tenant. */
describe('tightknit-sync migrate-state', () => {
  const pg = usePostgres();
  const VARS = [
    'TIGHTKNIT_MASTER_KEY',
    'TIGHTKNIT_ENCRYPTION_KEY',
    'TIGHTKNIT_KEYCHAIN',
    'TIGHTKNIT_DATABASE_URL',
    'TIGHTKNIT_TENANT',
  ];
  const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
  const stateDir = tempDir('tightknit-migrate-');
  const slack = {
    secrets: { botToken: `xoxb-${randomBytes(8).toString('hex')}`, signingSecret: randomBytes(8).toString('hex') },
    info: {
      teamId: 'T0SAMPLE',
      teamName: 'Sample',
      domain: 'sample',
      url: null,
      botUserId: 'U0BOT',
      connectedAt: '2026-03-01T00:00:00.000Z',
      hasSigningSecret: true,
      hasAppToken: false,
    },
  };
  let emu: RunningEmulator;
  let pool: Pool;
  let output: string[];
  const everything: string[] = [];

  async function run(...args: string[]): Promise<{ code: number; text: string }> {
    process.exitCode = undefined;
    const start = output.length;
    const code = await main(['node', 'tightknit-sync', ...args]);
    process.exitCode = undefined;
    return { code, text: output.slice(start).join('') };
  }
  const server = (...args: string[]) => run('--database', pg.url, ...args);
  const keys = () => resolveMasterKeys();

  beforeAll(async () => {
    process.env.TIGHTKNIT_MASTER_KEY = randomBytes(32).toString('base64');
    process.env.TIGHTKNIT_ENCRYPTION_KEY = randomBytes(32).toString('base64');
    process.env.TIGHTKNIT_KEYCHAIN = 'off';
    delete process.env.TIGHTKNIT_DATABASE_URL;
    delete process.env.TIGHTKNIT_TENANT;
    emu = await startEmulator();
    pool = await openPool(pg.url);
  }, 60_000);
  afterAll(async () => {
    await emu.close();
    await pool.end();
    for (const v of VARS) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
  });
  beforeEach(() => {
    output = [];
    const capture = (chunk: unknown): boolean => {
      output.push(String(chunk));
      everything.push(String(chunk));
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  });
  afterEach(() => jest.restoreAllMocks());

  /** The tenant's rows in every tenant-private table, as the operator (no row-level security) counts them. */
  async function tenantRows(tenantId: number): Promise<number> {
    const { rows } = await pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id' AND table_schema = 'public' AND table_name <> 'tenant_keys'",
    );
    let n = 0;
    for (const { table_name } of rows) {
      const r = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table_name} WHERE tenant_id = $1`, [
        tenantId,
      ]);
      n += r.rows[0].n;
    }
    return n;
  }

  const fingerprint = (dir: string) =>
    ['store.db', 'config.json', 'credentials.json', 'slack-credentials.json'].map((f) =>
      createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex'),
    );

  it('moves a state directory that ingested, connected and pushed into a tenant that shows the same state', async () => {
    const dir = (...args: string[]) => run('--state-dir', stateDir, ...args);
    expect((await dir('ingest', SAMPLE_EXPORT)).code).toBe(0);
    const connect = ['connect', '--client-credentials', '--login-url', emu.loginUrl, '--client-id', emu.clientId];
    expect((await dir(...connect, '--client-secret', emu.clientSecret)).code).toBe(0);
    expect((await dir('configure', '--interval', '15', '--create-contacts')).code).toBe(0);
    expect((await dir('sync')).code).toBeLessThanOrEqual(1);
    await saveSlackCredentials({ stateDir }, slack.secrets, slack.info);
    expect((await server('tenants', 'add', 'acme')).code).toBe(0);
    const before = fingerprint(stateDir);

    const moved = await server('--state-dir', stateDir, 'migrate-state', '--tenant', 'acme');
    expect(moved.text).toContain(`Moved ${stateDir} into tenant 'acme'`);
    expect(moved.code).toBe(0);
    expect(moved.text).toMatch(/community data \(communities, members, activities, source files\): \d+ rows/);
    expect(moved.text).toContain('tightknit-sync start --tenant acme');
    expect(fingerprint(stateDir)).toEqual(before);

    const tenant = await findTenant(pool, 'acme');
    const source: AsyncStore = openAsyncStore({ stateDir });
    const target = PgStore.open(pool, tenant.id, 'tenant acme');
    try {
      const view = await contractView(source);
      expect((view.runs as unknown[]).length).toBeGreaterThan(0);
      expect(await contractView(target)).toEqual(view);
      for (const kind of OBJECT_KINDS) {
        const mark = await target.ledger.watermark(kind);
        expect(mark).toBeGreaterThan(0);
        // What a push of the tenant would send: exactly what the state directory still owes, here nothing.
        expect(await target.countChanged(kind, mark)).toBe(await source.countChanged(kind, mark));
      }
    } finally {
      await source.close();
    }
    const config = await loadTenantConfig(pool, tenant);
    expect(config).toMatchObject({ version: 1, config: { intervalMinutes: 15, createContacts: true } });
    const creds = await loadCredentials({ stateDir });
    expect(await loadTenantCredentials(pool, keys(), tenant)).toEqual(creds);
    expect(await loadTenantSlackCredentials(pool, keys(), tenant)).toEqual(slack);
    expect(tenant).toMatchObject({ org: creds.orgId, community: expect.any(String) as unknown });

    // The state directory stays usable (without the stand-in Slack token, whose workspace does not exist).
    deleteSlackCredentials(stateDir);
    const after = await run('--state-dir', stateDir, 'sync');
    expect(after.code).toBe(0);
    expect(after.text).toMatch(/incremental/i);
    const tables = await pool.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    const dump: string[] = [];
    for (const { tablename } of tables.rows) {
      dump.push(...(await pool.query<{ t: string }>(`SELECT t::text AS t FROM ${tablename} t`)).rows.map((r) => r.t));
    }
    const text = everything.join('\n') + dump.join('\n');
    for (const secret of [creds.secrets.accessToken, emu.clientSecret, slack.secrets.botToken]) {
      expect(text).not.toContain(secret);
    }
  }, 120_000);

  it('refuses a tenant that is not empty, or does not exist, and changes nothing', async () => {
    const tenant = await findTenant(pool, 'acme');
    const rows = await tenantRows(tenant.id);
    const again = await server('--state-dir', stateDir, 'migrate-state', '--tenant', 'acme');
    expect(again.code).toBe(2);
    expect(again.text).toContain("Tenant 'acme' is not empty");
    expect(again.text).toContain('tightknit-sync tenants add <name>');
    expect(await tenantRows(tenant.id)).toBe(rows);
    const unknown = await server('--state-dir', stateDir, 'migrate-state', '--tenant', 'nobody');
    expect(unknown.code).toBe(2);
    expect(unknown.text).toContain("There is no tenant 'nobody'. Tenants: acme.");
  });

  it('writes nothing when a row fails late in the copy, and moves everything once the row is repaired', async () => {
    const copy = tempDir('tightknit-migrate-bad-');
    cpSync(stateDir, copy, { recursive: true });
    const store = openStore({ stateDir: copy });
    onStoreFile(store, (db) =>
      db
        .prepare(
          "INSERT INTO feed_follow (path, offset, line, head_bytes, head_hash, updated_at) VALUES ('/feeds/x.ndjson', 'twelve', 1, 1, 'h', '2026-03-01T00:00:00.000Z')",
        )
        .run(),
    );
    expect((await server('tenants', 'add', 'faulty')).code).toBe(0);
    const tenant = await findTenant(pool, 'faulty');
    const failed = await server('--state-dir', copy, 'migrate-state', '--tenant', 'faulty');
    expect(failed.code).toBe(2);
    expect(failed.text).toContain('A row of feed_follow does not fit its columns');
    expect(await tenantRows(tenant.id)).toBe(0);
    expect(await findTenant(pool, 'faulty')).toMatchObject({ community: null, org: null });

    onStoreFile(store, (db) => db.prepare("DELETE FROM feed_follow WHERE path = '/feeds/x.ndjson'").run());
    store.close();
    const moved = await server('--state-dir', copy, 'migrate-state', '--tenant', 'faulty');
    expect(moved.code).toBe(0);
    expect(await tenantRows(tenant.id)).toBeGreaterThan(100);
  }, 60_000);

  it('refuses a state directory a sync is running on, or whose key is not the one it was sealed with', async () => {
    expect((await server('tenants', 'add', 'careful')).code).toBe(0);
    const tenant = await findTenant(pool, 'careful');
    const lock = join(stateDir, 'sync.lock');
    writeFileSync(
      lock,
      JSON.stringify({ pid: 4242, host: 'another-host', startedAt: '2026-03-01T00:00:00.000Z', command: 'start' }),
    );
    try {
      const busy = await server('--state-dir', stateDir, 'migrate-state', '--tenant', 'careful');
      expect(busy.code).toBe(2);
      expect(busy.text).toContain('A sync (pid 4242) is running on');
    } finally {
      rmSync(lock);
    }
    const key = process.env.TIGHTKNIT_ENCRYPTION_KEY;
    process.env.TIGHTKNIT_ENCRYPTION_KEY = randomBytes(32).toString('base64');
    try {
      const wrongKey = await server('--state-dir', stateDir, 'migrate-state', '--tenant', 'careful');
      expect(wrongKey.code).toBe(2);
      expect(wrongKey.text).toContain('cannot be decrypted with this key');
    } finally {
      process.env.TIGHTKNIT_ENCRYPTION_KEY = key;
    }
    expect(await tenantRows(tenant.id)).toBe(0);
    const noTenant = await server('--state-dir', stateDir, 'migrate-state');
    expect(noTenant.code).toBe(2);
    expect(noTenant.text).toContain('give --tenant <name>');
  });
});
