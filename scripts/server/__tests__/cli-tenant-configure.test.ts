import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { usePostgres } from '../../test-support/postgres';
import { findTenant } from '../tenants';
import { loadTenantConfig } from '../tenant-state/config';
import { setSchedule } from '../queue/schedule';
import { cliHarness } from './cli-helpers';

describe('configure per tenant', () => {
  let stateDir: string;
  let pool: Pool;
  afterAll(async () => {
    await pool.end();
    rmSync(stateDir, { recursive: true, force: true });
  });
  const pg = usePostgres();
  const { run, json } = cliHarness();
  const acme = (...args: string[]) => run('--database', pg.url, '--tenant', 'acme', ...args);

  beforeAll(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'tk-cli-configure-'));
    pool = new Pool({ connectionString: pg.url });
  });

  it('shows and saves the tenant configuration as a new version, with the same output as a state directory', async () => {
    expect((await run('--database', pg.url, 'tenants', 'add', 'acme')).code).toBe(0);
    const shown = await acme('configure');
    expect(shown.code).toBe(0);
    expect(shown.text).toContain('Sync interval:      every 5 minute(s)');

    const tenant = await findTenant(pool, 'acme');
    await setSchedule(pool, tenant.id, { enabled: false });
    const args = ['configure', '--interval', '15', '--create-contacts', '--weight', 'post_created=7', '--json'];
    const saved = await acme(...args);
    expect(saved.code).toBe(0);
    const local = await run('--state-dir', stateDir, ...args);
    expect(json(saved)).toEqual(json(local));
    expect(json<{ intervalMinutes: number; createContacts: boolean }>(saved)).toMatchObject({
      intervalMinutes: 15,
      createContacts: true,
    });
    const stored = await loadTenantConfig(pool, tenant);
    expect(stored.version).toBe(1);
    expect(stored.config.engagement.weights.post_created).toBe(7);
    const { rows } = await pool.query<{ interval_minutes: number }>(
      'SELECT interval_minutes FROM tenant_schedules WHERE tenant_id = $1',
      [tenant.id],
    );
    expect(rows[0].interval_minutes).toBe(15);

    const text = await acme('configure', '--activity-metadata');
    expect(text.text).toContain('Saved.');
    expect(text.text).toContain('Activity Metadata:  on');
    expect((await loadTenantConfig(pool, tenant)).version).toBe(2);
  });

  it('refuses bad values with the flags named, and saves nothing', async () => {
    const r = await acme('configure', '--interval', '5000', '--threshold', 'high=x');
    expect(r.code).toBe(2);
    expect(r.text).toContain('--threshold high=x');
    const tenant = await findTenant(pool, 'acme');
    const range = await acme('configure', '--interval', '5000');
    expect(range.code).toBe(2);
    expect(range.text).toContain('--interval');
    expect((await loadTenantConfig(pool, tenant)).version).toBe(2);
  });

  it('match rule changes are saved with a note that the org check is `check`’s', async () => {
    const r = await acme('configure', '--match-rule', 'Contact.Email');
    expect(r.code).toBe(0);
    expect(r.text).toContain('Match rules not checked against the org here');
    expect(r.text).toContain('1. Contact.Email');
  });
});
