import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { startEmulator, type RunningEmulator } from '../../org-emulator';
import { connect } from '../../sync/connection/connect';
import { loadCredentials } from '../../sync/connection/credential-store';
import { TEST_ENV, tempStateDir } from '../../sync/connection/__tests__/helpers';
import { usePostgres } from '../../test-support/postgres';
import { resolveMasterKeys } from '../secrets/master-key';
import { saveTenantCredentials } from '../tenant-state/credentials';
import { findTenant } from '../tenants';
import { cliHarness } from './cli-helpers';

describe('verify per tenant', () => {
  let pool: Pool;
  let emu: RunningEmulator;
  afterAll(async () => {
    await emu.close();
    await pool.end();
  });
  const pg = usePostgres();
  const { run, json } = cliHarness();
  const acme = (...args: string[]) => run('--database', pg.url, '--tenant', 'acme', ...args);

  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    emu = await startEmulator();
  });

  it('a tenant without an org says so; with one, verify checks the package in its org', async () => {
    expect((await run('--database', pg.url, 'tenants', 'add', 'acme')).code).toBe(0);
    const none = await acme('verify');
    expect(none.code).toBe(2);
    expect(none.text).toContain("No org is connected for tenant 'acme'.");

    // The tenant's org credentials as the console's connect stores them: sealed with its data key.
    const stateKeys = { stateDir: tempStateDir(), env: TEST_ENV, keychain: null };
    await connect({
      ...stateKeys,
      method: 'client-credentials',
      loginUrl: emu.loginUrl,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
    });
    const keys = resolveMasterKeys({
      TIGHTKNIT_MASTER_KEY: process.env.TIGHTKNIT_MASTER_KEY ?? randomBytes(32).toString('base64'),
    });
    await saveTenantCredentials(pool, keys, await findTenant(pool, 'acme'), await loadCredentials(stateKeys));

    const text = await acme('verify');
    expect(text.code).toBe(0);
    expect(text.text).toMatch(/✓ Tightknit Analytics [\d.]+ \(namespace tightknit\)/);
    const r = json<{ ok: boolean; objects: unknown[] }>(await acme('verify', '--json'));
    expect(r.ok).toBe(true);
    expect(r.objects).toHaveLength(3);
  }, 60_000);
});
