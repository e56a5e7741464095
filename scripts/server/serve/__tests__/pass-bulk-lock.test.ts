import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { startEmulators, type EmulatorFleet, type RunningEmulator } from '../../../org-emulator';
import { apiVersion } from '../../../sync/connection/api-version';
import { usePostgres } from '../../../test-support/postgres';
import { migrate } from '../../db/migrate';
import { resolveMasterKeys } from '../../secrets/master-key';
import { PgStore } from '../../store';
import { addTenant } from '../../tenants';
import type { TenantRef } from '../../tenant-state/tenant-ref';
import { productionRunner } from '../production-runner';
import { captureLog, connectToEmulator, ingestSample } from './support';

interface JobRow {
  id: string;
  object: string;
  createdDate: string;
  systemModstamp: string;
  state: string;
  /** Ms from the upload's completion to the job's end (its own GET only). */
  totalProcessingTime: number;
}

const time = (stamp: string): number => Date.parse(stamp.replace(/\+0000$/, 'Z'));

describe('the production pass holds the org’s Bulk lock around each Bulk ingest job', () => {
  afterAll(async () => {
    await fleet?.close();
    await pool?.end();
  });
  const pg = usePostgres();
  const keys = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: randomBytes(32).toString('base64') });
  let pool: Pool;
  let fleet: EmulatorFleet;
  const tenants: TenantRef[] = [];
  const { log, lines } = captureLog();

  /** Every Bulk ingest job the org was sent ("Get Information About All Jobs"), each with its own full information. */
  async function orgJobs(emu: RunningEmulator): Promise<JobRow[]> {
    const base = `${emu.instanceUrl}/services/data/v${apiVersion()}/jobs/ingest`;
    const headers = { authorization: `Bearer ${emu.issueTokens('integration').accessToken}` };
    const list = ((await (await fetch(base, { headers })).json()) as { records: JobRow[] }).records;
    return Promise.all(list.map(async (j) => (await (await fetch(`${base}/${j.id}`, { headers })).json()) as JobRow));
  }

  beforeAll(async () => {
    pool = new Pool({ connectionString: pg.url });
    await migrate(pool);
    fleet = await startEmulators({ orgs: 1 });
    for (const name of ['acme', 'beta']) {
      const t = (await addTenant(pool, keys, name)).tenant;
      tenants.push(t);
      await ingestSample(pool, t);
      // Two tenants, one org: the case the lock is for.
      await connectToEmulator(pool, keys, t, fleet.orgs[0]);
    }
  }, 120_000);

  it('two tenants backfilling the same org at once never have Salesforce work on two jobs of one object; both complete', async () => {
    const runner = productionRunner({
      keys,
      budget: false,
      // Every change through Bulk, in small jobs: several jobs per object and tenant.
      tuning: { poll: { initialMs: 20, maxMs: 100, timeoutMs: 30_000 }, collectionsThreshold: 0, maxJobRows: 40 },
    });
    const results = await Promise.all(
      tenants.map((t) =>
        runner.run({
          tenant: t,
          request: { tenantId: t.id, type: 'backfill' },
          pool,
          signal: new AbortController().signal,
          log: log.child({ tenant: t.name }),
          setWaiting: () => Promise.resolve(),
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['Succeeded', 'Succeeded']);
    const counts = await PgStore.open(pool, tenants[0].id, tenants[0].name).counts();
    for (const r of results) expect(r.counts.activity?.succeeded).toBe(counts.activity);

    const jobs = await orgJobs(fleet.orgs[0]);
    expect(jobs.every((j) => j.state === 'JobComplete')).toBe(true);
    const byObject = new Map<string, JobRow[]>();
    for (const j of jobs) byObject.set(j.object, [...(byObject.get(j.object) ?? []), j]);
    // Several jobs per object (both tenants'), each handed to Salesforce (its processing starts: its end
    // less its processing time) only after the one before it ended; a job may be created and uploaded
    // while the one before runs.
    expect(byObject.get('tightknit__Activity__c')?.length).toBeGreaterThan(4);
    const started = (j: JobRow): number => time(j.systemModstamp) - j.totalProcessingTime;
    let uploadedAhead = 0;
    for (const list of byObject.values()) {
      list.sort((a, b) => started(a) - started(b));
      for (let i = 1; i < list.length; i++) {
        expect(started(list[i])).toBeGreaterThanOrEqual(time(list[i - 1].systemModstamp));
        if (time(list[i].createdDate) < time(list[i - 1].systemModstamp)) uploadedAhead++;
      }
    }
    expect(uploadedAhead).toBeGreaterThan(0);
    // The tenants took turns: at least one of them waited for the other's job.
    expect(lines.some((l) => (JSON.parse(l) as { msg?: string }).msg === 'waiting for the org’s Bulk lock')).toBe(true);
  }, 180_000);
});
