import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { AsyncStore } from '../../sync/store/async';
import { openAsyncStore } from '../../sync/store';
import { usePostgres } from '../../test-support/postgres';
import { PgStore } from '../store';
import { cliHarness } from './cli-helpers';

/** The same two runs written into a store: one partly failed backfill, one incremental that succeeded. */
async function writeRuns(store: AsyncStore): Promise<void> {
  const l = store.ledger;
  const first = await l.startRun('backfill');
  await l.addCounts(first, 'community', { processed: 1, succeeded: 1 });
  await l.addCounts(first, 'member', { processed: 3, succeeded: 2, failed: 1 });
  await l.recordFailures(first, null, 'member', [
    ['slack:T1:U3', 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --'],
  ]);
  await l.finishRun(first, 'PartiallyFailed', null, 7);
  const second = await l.startRun('incremental');
  await l.addCounts(second, 'activity', { processed: 4, succeeded: 4 });
  await l.finishRun(second, 'Succeeded', null, 3);
}

/** A result with its clock readings replaced, so two stores' answers can be compared. */
function timeless(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v: unknown) => (/At$|^at$|durationMs/.test(k) && v !== null ? '<time>' : v)),
  );
}

describe('history and investigate per tenant', () => {
  let pool: Pool;
  let stateDir: string;
  // Declared before usePostgres(): jest runs afterAll hooks in order, and the pool must end before the drop.
  afterAll(async () => {
    await pool.end();
    rmSync(stateDir, { recursive: true, force: true });
  });
  const pg = usePostgres();
  const { run, json } = cliHarness();
  const db = (...args: string[]) => run('--database', pg.url, ...args);

  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    stateDir = mkdtempSync(join(tmpdir(), 'tk-cli-history-'));
  });

  it('needs a tenant, and names the tenants there are when the one given is unknown', async () => {
    expect((await db('tenants', 'add', 'acme')).code).toBe(0);
    expect((await db('tenants', 'add', 'beta')).code).toBe(0);
    const none = await db('history');
    expect(none.code).toBe(2);
    expect(none.text).toContain(
      '`history` acts on one tenant in server mode: give --tenant <name> or set TIGHTKNIT_TENANT',
    );
    const unknown = await db('--tenant', 'acne', 'history');
    expect(unknown.code).toBe(2);
    expect(unknown.text).toContain("There is no tenant 'acne'. Tenants: acme, beta.");
  });

  it('an empty tenant has no runs yet', async () => {
    process.env.TIGHTKNIT_TENANT = 'beta';
    const r = await db('history');
    expect(r.code).toBe(0);
    expect(r.text.trim()).toBe('No runs yet.');
  });

  it('shows the same runs, fields and investigation as a state directory holding the same history', async () => {
    const { rows } = await pool.query<{ id: string }>("SELECT id FROM tenants WHERE name = 'acme'");
    await writeRuns(PgStore.open(pool, Number(rows[0].id), 'acme'));
    const local = openAsyncStore({ stateDir });
    await writeRuns(local);
    await local.close();

    const tenant = await db('--tenant', 'acme', 'history', '--json');
    expect(tenant.code).toBe(0);
    const embedded = await run('--state-dir', stateDir, 'history', '--json');
    const runs = json<{ runs: Array<Record<string, unknown>> }>(tenant).runs;
    expect(runs.map((r) => [r.type, r.status])).toEqual([
      ['incremental', 'Succeeded'],
      ['backfill', 'PartiallyFailed'],
    ]);
    for (const field of ['startedAt', 'finishedAt', 'status', 'type', 'objects']) expect(runs[1]).toHaveProperty(field);
    expect(runs[1].objects).toMatchObject({ member: { processed: 3, succeeded: 2, failed: 1 } });
    expect(timeless(json(tenant))).toEqual(timeless(json(embedded)));

    const text = await db('--tenant', 'acme', 'history');
    expect(text.text).toMatch(/backfill\s+PartiallyFailed\s+.*1\/0\/0\s+2\/1\/0\s+-\s+7/);

    const backfill = String(runs[1].runId);
    const inv = await db('--tenant', 'acme', 'investigate', backfill, '--json');
    expect(inv.code).toBe(0);
    const invLocal = await run('--state-dir', stateDir, 'investigate', backfill, '--json');
    expect(timeless(json(inv))).toEqual(timeless(json(invLocal)));
    const human = await db('--tenant', 'acme', 'investigate', backfill);
    expect(human.text).toContain('member REQUIRED_FIELD_MISSING: 1 record(s)');
    expect(human.text).toContain(`After fixing the cause: tightknit-sync retry ${backfill}`);
    const missing = await db('--tenant', 'acme', 'investigate', '999');
    expect(missing.code).toBe(2);
    expect(missing.text).toContain('There is no run 999 in the sync history.');
  });
});
