import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { TightknitError } from '../../../sync/errors';
import { usePostgres } from '../../../test-support/postgres';
import { migrate } from '../../db/migrate';
import { addTenant } from '../../tenants';
import { resolveMasterKeys, type MasterKeys } from '../master-key';
import { dataKeyFor, rotateDataKeys } from '../tenant-keys';
import { getSecret, putSecret } from '../tenant-secrets';

const b64 = (): string => randomBytes(32).toString('base64');

describe('master keys from the environment', () => {
  it('reads TIGHTKNIT_MASTER_KEY or a key file, and names keys by an id that is not the key', () => {
    const raw = b64();
    const dir = mkdtempSync(join(tmpdir(), 'tk-mk-'));
    writeFileSync(join(dir, 'master.key'), `${raw}\n`);
    const inline = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: raw });
    const fromFile = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY_FILE: join(dir, 'master.key') });
    expect(fromFile.current.id).toBe(inline.current.id);
    expect(inline.current.id).toMatch(/^[0-9a-f]{16}$/);
    expect(Buffer.from(raw, 'base64').toString('hex')).not.toContain(inline.current.id);
    expect(inline.previous).toBeUndefined();
  });

  it.each([
    [{}, 'MASTER_KEY_MISSING'],
    [{ TIGHTKNIT_MASTER_KEY: 'c2hvcnQ=' }, 'MASTER_KEY_INVALID'],
    [{ TIGHTKNIT_MASTER_KEY: 'x', TIGHTKNIT_MASTER_KEY_FILE: '/x' }, 'MASTER_KEY_AMBIGUOUS'],
    [{ TIGHTKNIT_MASTER_KEY_FILE: '/nonexistent/master.key' }, 'MASTER_KEY_FILE_UNREADABLE'],
  ])('refuses %j with %s, exit 2, and no key material in the message', (env, code) => {
    let caught: unknown;
    try {
      resolveMasterKeys(env);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TightknitError);
    expect(caught).toMatchObject({ code, exitCode: 2 });
    expect((caught as Error).message).not.toContain('c2hvcnQ=');
  });
});

describe('envelope encryption of tenant secrets', () => {
  let pool: Pool;
  afterAll(async () => pool.end());
  const pg = usePostgres();
  const old: MasterKeys = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: b64() });
  const rawNew = b64();
  const rotating: MasterKeys = {
    current: resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: rawNew }).current,
    previous: old.current,
  };
  const after: MasterKeys = { current: rotating.current };
  const ids: Record<string, number> = {};
  const token = `00D${randomBytes(20).toString('hex')}`;

  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    await migrate(pool);
    for (const name of ['sec-a', 'sec-b']) ids[name] = (await addTenant(pool, old, name)).tenant.id;
    await putSecret(pool, old, ids['sec-a'], 'salesforce.accessToken', token);
    await putSecret(pool, old, ids['sec-b'], 'salesforce.accessToken', 'token-of-b');
  });

  it('stores secrets sealed: the plaintext is nowhere in the database, each data key wrapped by the master key', async () => {
    expect(await getSecret(pool, old, ids['sec-a'], 'salesforce.accessToken')).toBe(token);
    expect(await getSecret(pool, old, ids['sec-a'], 'slack.botToken')).toBeUndefined();
    const dump = await pool.query<{ t: string }>(
      "SELECT string_agg(encode(iv || tag || data, 'escape'), '') AS t FROM tenant_secrets",
    );
    expect(dump.rows[0].t).not.toContain(token);
    const keys = await pool.query<{ n: string }>('SELECT count(*) AS n FROM tenant_keys WHERE master_key_id = $1', [
      old.current.id,
    ]);
    expect(Number(keys.rows[0].n)).toBe(2);
  });

  it('a secret row copied to another tenant or name does not open', async () => {
    await pool.query(
      `INSERT INTO tenant_secrets (tenant_id, name, iv, tag, data)
       SELECT $2, 'copied', iv, tag, data FROM tenant_secrets WHERE tenant_id = $1`,
      [ids['sec-a'], ids['sec-b']],
    );
    await expect(getSecret(pool, old, ids['sec-b'], 'copied')).rejects.toMatchObject({ code: 'SECRET_UNREADABLE' });
    await pool.query("DELETE FROM tenant_secrets WHERE name = 'copied'");
  });

  it('rotate re-wraps every data key with the new master key and leaves the secrets untouched', async () => {
    const before = await pool.query<{ data: Buffer }>('SELECT data FROM tenant_secrets ORDER BY tenant_id');
    expect(await rotateDataKeys(pool, rotating)).toEqual({
      masterKeyId: rotating.current.id,
      rewrapped: 2,
      alreadyCurrent: 0,
    });
    const afterRows = await pool.query<{ data: Buffer }>('SELECT data FROM tenant_secrets ORDER BY tenant_id');
    expect(afterRows.rows).toEqual(before.rows);
    expect(await getSecret(pool, after, ids['sec-a'], 'salesforce.accessToken')).toBe(token);
    expect(await rotateDataKeys(pool, after)).toEqual({
      masterKeyId: after.current.id,
      rewrapped: 0,
      alreadyCurrent: 2,
    });
  });

  it('the old master key alone no longer opens anything, and the error names key ids, never keys', async () => {
    let caught: unknown;
    try {
      await getSecret(pool, old, ids['sec-b'], 'salesforce.accessToken');
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'MASTER_KEY_UNKNOWN', exitCode: 2 });
    const message = (caught as Error).message;
    expect(message).toContain(after.current.id);
    for (const secret of [rawNew, old.current.key.toString('base64'), 'token-of-b']) {
      expect(message).not.toContain(secret);
    }
  });

  it('a data key row copied to another tenant is refused, not used', async () => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(
        'UPDATE tenant_keys SET wrapped = (SELECT wrapped FROM tenant_keys WHERE tenant_id = $1) WHERE tenant_id = $2',
        [ids['sec-a'], ids['sec-b']],
      );
      // dataKeyFor reads through pool.query only: hand it this transaction's client.
      const inTransaction = { query: c.query.bind(c) } as unknown as Pool;
      await expect(dataKeyFor(inTransaction, ids['sec-b'], after)).rejects.toMatchObject({
        code: 'DATA_KEY_UNREADABLE',
      });
      expect(await dataKeyFor(inTransaction, ids['sec-a'], after)).toHaveLength(32);
      await c.query('ROLLBACK');
    } finally {
      c.release();
    }
  });
});
