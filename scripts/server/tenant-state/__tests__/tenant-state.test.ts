import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { startEmulator, type RunningEmulator } from '../../../org-emulator';
import { connect } from '../../../sync/connection/connect';
import { loadCredentials } from '../../../sync/connection/credential-store';
import { TEST_ENV, tempStateDir } from '../../../sync/connection/__tests__/helpers';
import { usePostgres } from '../../../test-support/postgres';
import { openPool } from '../../db/connect';
import { migrate } from '../../db/migrate';
import { resolveMasterKeys, type MasterKeys } from '../../secrets/master-key';
import { addTenant } from '../../tenants';
import { loadTenantConfig, saveTenantConfig, StaleConfigError } from '../config';
import {
  loadTenantCredentials,
  loadTenantSlackCredentials,
  openTenantConnection,
  saveTenantCredentials,
  saveTenantSlackCredentials,
} from '../credentials';
import type { TenantRef } from '../tenant-ref';

const pg = usePostgres();
let pool: Pool;
let keys: MasterKeys;
let emu: RunningEmulator;

beforeAll(async () => {
  pool = await openPool(pg.url);
  await migrate(pool);
  keys = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: randomBytes(32).toString('base64') });
  // Every current access token turns invalid after three authenticated calls: renewals on demand.
  emu = await startEmulator({ faults: { expireTokensAfterCalls: 3 } });
}, 60_000);
afterAll(async () => {
  await emu.close();
  await pool.end();
});

async function tenant(name: string): Promise<TenantRef> {
  return (await addTenant(pool, keys, name)).tenant;
}

/** Every row of every table in the database, as text: what someone reading the database could see. */
async function everyRow(): Promise<string> {
  const { rows } = await pool.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
  );
  const parts: string[] = [];
  for (const { tablename } of rows) {
    const r = await pool.query<{ t: string }>(`SELECT t::text AS t FROM ${tablename} t`);
    parts.push(...r.rows.map((x) => x.t));
  }
  return parts.join('\n');
}

describe('tenant configuration', () => {
  it('starts at the defaults, version 0, and each save is the next version', async () => {
    const t = await tenant('config-a');
    const first = await loadTenantConfig(pool, t);
    expect(first.version).toBe(0);
    expect(first.config.intervalMinutes).toBe(5);
    const saved = await saveTenantConfig(
      pool,
      t,
      { intervalMinutes: 15, engagement: { weights: { post_created: 8 } } },
      0,
    );
    expect(saved.version).toBe(1);
    expect(saved.config.engagement.weights.post_created).toBe(8);
    expect(saved.config.engagement.weights.message_sent).toBe(3);
    expect(await loadTenantConfig(pool, t)).toEqual(saved);
  });

  it('refuses a save from a stale version, naming what changed since', async () => {
    const t = await tenant('config-b');
    await saveTenantConfig(pool, t, { createContacts: true }, 0);
    await saveTenantConfig(pool, t, { intervalMinutes: 30 }, 1);
    const err = await saveTenantConfig(pool, t, { activityMetadata: true }, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaleConfigError);
    expect(err).toMatchObject({ code: 'CONFIG_CHANGED', currentVersion: 2, changed: ['intervalMinutes'] });
    const fromDefaults = await saveTenantConfig(pool, t, {}, 0).catch((e: unknown) => e);
    expect(fromDefaults).toMatchObject({ changed: ['createContacts', 'intervalMinutes'] });
    expect((await loadTenantConfig(pool, t)).config.activityMetadata).toBe(false);
  });

  it('lets only one of two saves from the same version through', async () => {
    const t = await tenant('config-c');
    const results = await Promise.allSettled([
      saveTenantConfig(pool, t, { intervalMinutes: 10 }, 0),
      saveTenantConfig(pool, t, { intervalMinutes: 20 }, 0),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.reason).toBeInstanceOf(StaleConfigError);
  });

  it('validates as the state directory does: the same errors, nothing stored', async () => {
    const t = await tenant('config-d');
    await expect(saveTenantConfig(pool, t, { intervalMinutes: 0 }, 0)).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      issues: [{ path: 'intervalMinutes', message: expect.stringMatching(/>=1/) as unknown }],
    });
    await expect(saveTenantConfig(pool, t, { colour: 'red' } as never, 0)).rejects.toMatchObject({
      issues: [{ path: 'colour', message: 'is not a configuration option' }],
    });
    expect((await loadTenantConfig(pool, t)).version).toBe(0);
  });
});

describe('tenant credentials', () => {
  it('opens the org connection from the tenant and stores a renewed access token sealed', async () => {
    const t = await tenant('creds-a');
    await expect(loadTenantCredentials(pool, keys, t)).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
      actions: ['Run `tightknit-sync connect --tenant creds-a` first.'],
    });
    const stateDir = tempStateDir();
    const stateKeys = { stateDir, env: TEST_ENV, keychain: null };
    await connect({
      ...stateKeys,
      method: 'client-credentials',
      loginUrl: emu.loginUrl,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
    });
    const creds = await loadCredentials(stateKeys);
    await saveTenantCredentials(pool, keys, t, creds);

    let renewed = 0;
    const opened = await openTenantConnection(pool, keys, t, { onRenewed: () => renewed++ });
    for (let i = 0; i < 5; i += 1) await opened.connection.query('SELECT Id FROM Contact LIMIT 1');
    expect(renewed).toBeGreaterThanOrEqual(1);
    const after = await loadTenantCredentials(pool, keys, t);
    expect(after.secrets.accessToken).not.toBe(creds.secrets.accessToken);
    expect(after.secrets.clientSecret).toBe(emu.clientSecret);
    expect(after.instanceUrl).toBe(creds.instanceUrl);

    const dump = await everyRow();
    for (const secret of [creds.secrets.accessToken, after.secrets.accessToken, emu.clientSecret]) {
      expect(dump).not.toContain(secret);
    }
    expect(dump).not.toContain(creds.username ?? creds.clientId);
    const { rows } = await pool.query<{ org: string | null }>('SELECT org FROM tenants WHERE id = $1', [t.id]);
    expect(rows[0].org).toBe(creds.orgId);
  });

  it('keeps the Slack connection sealed per tenant', async () => {
    const [a, b] = [await tenant('slack-a'), await tenant('slack-b')];
    const slack = {
      secrets: { botToken: `xoxb-${randomBytes(8).toString('hex')}`, signingSecret: randomBytes(8).toString('hex') },
      info: {
        teamId: 'T1',
        teamName: 'Team',
        domain: null,
        url: null,
        botUserId: 'U0',
        connectedAt: new Date().toISOString(),
        hasSigningSecret: true,
        hasAppToken: false,
      },
    };
    await saveTenantSlackCredentials(pool, keys, a, slack);
    expect(await loadTenantSlackCredentials(pool, keys, a)).toEqual(slack);
    expect(await loadTenantSlackCredentials(pool, keys, b)).toBeUndefined();
    const dump = await everyRow();
    expect(dump).not.toContain(slack.secrets.botToken);
    expect(dump).not.toContain(slack.secrets.signingSecret);
  });
});
