import { hash } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { startEmulator, type RunningEmulator } from '../../../org-emulator';
import { usePostgres } from '../../../test-support/postgres';
import { migrate } from '../../db/migrate';
import { Browser, PASSWORD } from '../../people/__tests__/helpers';
import { resolveMasterKeys } from '../../secrets/master-key';
import { FAST, captureLog, connectToEmulator, ingestSample, until } from '../../serve/__tests__/support';
import { startServerProcess, type ServerProcess } from '../../serve/process';
import { productionRunner } from '../../serve/production-runner';
import { PgStore } from '../../store';
import { addTenant } from '../../tenants';
import { CONSOLE_ROUTES } from '../handler';

const MEMBER = 'tightknit__Member__c';
const MANAGER = 'im@example.com';
const VIEWER = 'viewer@example.com';

interface HistoryRun {
  runId: number;
  type: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  objects: Record<string, { succeeded: number; failed: number }>;
}

/**
 * The console's "sync now" through the real pass: the sample community ingested into a tenant's
 * PgStore, its org an emulator; an integrations manager's POST queues the run, serve's worker pushes
 * the community into the org, and the console's history shows the run with the CLI's fields.
 */
describe('the tenant console drives a real pass into an emulated org', () => {
  afterAll(async () => {
    await proc?.stop();
    await emu?.close();
    await pool?.end();
  });
  const pg = usePostgres();
  const keys = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: randomBytes(32).toString('base64') });
  let pool: Pool;
  let emu: RunningEmulator;
  let proc: ServerProcess;
  let tenantId: number;
  let tokens: { accessToken: string; refreshToken: string };

  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    await migrate(pool);
    emu = await startEmulator();
    const acme = (await addTenant(pool, keys, 'acme')).tenant;
    tenantId = acme.id;
    await ingestSample(pool, acme);
    tokens = await connectToEmulator(pool, keys, acme, emu);
    for (const [email, role] of [
      [MANAGER, 'integrations-manager'],
      [VIEWER, 'viewer'],
    ]) {
      const person = await pool.query<{ id: string }>('INSERT INTO people (email) VALUES ($1) RETURNING id', [email]);
      await pool.query('INSERT INTO memberships (person_id, tenant_id, role) VALUES ($1, $2, $3)', [
        person.rows[0].id,
        acme.id,
        role,
      ]);
      await pool.query('INSERT INTO password_credentials (person_id, hash) VALUES ($1, $2)', [
        person.rows[0].id,
        await hash(PASSWORD),
      ]);
    }
    proc = await startServerProcess({
      url: pg.url,
      runner: productionRunner({
        keys,
        budget: { reserve: 0.2 },
        tuning: { poll: { initialMs: 20, maxMs: 100, timeoutMs: 30_000 } },
      }),
      log: captureLog().log,
      concurrency: 1,
      ops: { port: 0, host: '127.0.0.1' },
      tuning: FAST,
    });
  }, 120_000);

  it('sync now: queued, audited, pushed into the org, shown in the history', async () => {
    const im = new Browser(proc.opsUrl as string);
    expect((await im.signIn(MANAGER)).status).toBe(303);
    const members = (await PgStore.open(pool, tenantId, 'acme').counts()).member;
    const res = await im.post('/api/tenants/acme/sync');
    expect(res.status).toBe(202);
    expect(((await res.json()) as { type: string }).type).toBe('backfill');
    const run = await until(async () => {
      const h = (await (await im.fetch('/api/tenants/acme/history')).json()) as { runs: HistoryRun[] };
      return h.runs[0] && h.runs[0].finishedAt ? h.runs[0] : undefined;
    }, 90);
    expect(run).toMatchObject({ type: 'backfill', status: 'Succeeded' });
    expect(run.objects.member).toMatchObject({ succeeded: members, failed: 0 });
    expect(emu.org.records(MEMBER)).toHaveLength(members);
    const status = (await (await im.fetch('/api/tenants/acme/status')).json()) as {
      state: string;
      lastRun: { runId: number };
    };
    expect(status.lastRun.runId).toBe(run.runId);
    expect(status.state).toBe('Not scheduled');
    const { rows } = await pool.query<{ actor: string; action: string }>(
      "SELECT actor, action FROM audit_events WHERE action = 'sync'",
    );
    expect(rows).toEqual([{ actor: MANAGER, action: 'sync' }]);
  }, 120_000);

  it("a viewer reads every page and API answer of a connected tenant, and none holds the org's tokens", async () => {
    const viewer = new Browser(proc.opsUrl as string);
    expect((await viewer.signIn(VIEWER)).status).toBe(303);
    const reads = ['/api/session', ...CONSOLE_ROUTES.filter((r) => r.method === 'GET').map((r) => r.path)];
    expect(reads.length).toBeGreaterThan(5);
    for (const path of reads) {
      const res = await viewer.fetch(path.replace(':name', 'acme'));
      const text = await res.text();
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      for (const secret of [tokens.accessToken, tokens.refreshToken]) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/accessToken|refreshToken|clientSecret/);
    }
  }, 60_000);
});
