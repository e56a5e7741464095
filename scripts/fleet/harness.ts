import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { openPool } from '../server/db/connect';
import { migrate } from '../server/db/migrate';
import { resolveMasterKeys, type MasterKeys } from '../server/secrets/master-key';
import { openTenantStore } from '../server/cli-support';
import { loadTenantConfig } from '../server/tenant-state/config';
import { addTenant, type Tenant } from '../server/tenants';
import { ingest } from '../sync/ingest';
import { SAMPLE_EXPORT } from '../sync/ops/demo';
import type { AsyncStore } from '../sync/store';
import { connectTenants } from './connect';
import { startEmulatorProcess, type EmulatorProcess, type FleetOrg } from './orgs';
import { createFleetDatabase, type FleetDatabase } from './postgres';

/** One tenant of the fleet and the emulated org it is connected to. */
interface FleetTenant {
  ref: Tenant;
  org: FleetOrg;
}

/** Everything `startFleet` started; `close()` stops it all (and drops the database). */
export interface Fleet {
  /** URL of the fleet's database (for `serve` and `worker` processes: --database). */
  url: string;
  database: FleetDatabase['server'];
  pool: Pool;
  keys: MasterKeys;
  /** The master key as TIGHTKNIT_MASTER_KEY carries it, for the processes the caller starts. */
  masterKey: string;
  emulator: EmulatorProcess;
  tenants: FleetTenant[];
  /** What `serve` and `worker` processes of this fleet need in their environment. */
  env(): NodeJS.ProcessEnv;
  close(opts?: { keepDatabase?: boolean }): Promise<void>;
}

export interface FleetOptions {
  /** A PostgreSQL server to create the fleet's database on; unset: an embedded one in a temporary directory. */
  database?: string;
  /** Tenants, each connected to its own org of one emulator process. */
  tenants: number;
  /** Tenant names (default `tenant-1`, `tenant-2`, …). */
  names?: string[];
  /** The community ingested into every tenant: a Slack export or an NDJSON feed (default: the sample export). */
  sample?: string;
  /** Tenants filled some other way than by ingesting `sample` (e.g. one large backfill), by index. */
  populate?: Record<number, (store: AsyncStore) => Promise<void>>;
  /** Told what is happening, one short line a step. */
  onStep?: (line: string) => void;
}

/**
 * The server-mode fleet for the demo and the benchmark: a fresh database (on the given server or an
 * embedded PostgreSQL), migrated; one org emulator process hosting one org per tenant; the tenants
 * added, connected to their orgs through the web flow, with a community ingested into each PgStore.
 * Everything goes through the production code paths (`tenants add`, the connect routes, `ingest
 * --tenant`); only the orgs are emulated.
 */
export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const step = opts.onStep ?? (() => undefined);
  const masterKey = randomBytes(32).toString('base64');
  const keys = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: masterKey });
  const db = await createFleetDatabase(opts.database);
  step(db.server === 'embedded' ? 'embedded PostgreSQL started' : 'database created on the given server');
  let pool: Pool | undefined;
  let emulator: EmulatorProcess | undefined;
  try {
    pool = await openPool(db.url, 8);
    await migrate(pool);
    emulator = await startEmulatorProcess(opts.tenants);
    step(`org emulator process started with ${opts.tenants} orgs`);
    const tenants: FleetTenant[] = [];
    for (let i = 0; i < opts.tenants; i += 1) {
      const { tenant } = await addTenant(pool, keys, opts.names?.[i] ?? `tenant-${i + 1}`);
      tenants.push({ ref: tenant, org: emulator.orgs[i] });
    }
    await connectTenants(
      pool,
      keys,
      tenants.map((t) => ({ tenant: t.ref.name, org: t.org })),
    );
    step(`${tenants.length} tenants added and connected to their orgs`);
    for (const [i, t] of tenants.entries()) {
      const store = openTenantStore(pool, t.ref);
      const populate = opts.populate?.[i];
      if (populate) await populate(store);
      else
        await ingest({
          path: opts.sample ?? SAMPLE_EXPORT,
          store,
          config: (await loadTenantConfig(pool, t.ref)).config,
        });
    }
    step('community ingested into every tenant');
    const [p, e] = [pool, emulator];
    return {
      url: db.url,
      database: db.server,
      pool: p,
      keys,
      masterKey,
      emulator: e,
      tenants,
      env: () => ({
        ...process.env,
        TIGHTKNIT_DATABASE_URL: db.url,
        TIGHTKNIT_MASTER_KEY: masterKey,
        // Renewals of the tenants' access tokens send the app's consumer secret (one app for every org).
        TIGHTKNIT_CLIENT_SECRET: e.orgs[0].clientSecret,
      }),
      close: async (o = {}) => {
        await e.close();
        await p.end();
        await db.close({ keep: o.keepDatabase });
      },
    };
  } catch (err) {
    await emulator?.close();
    await pool?.end();
    await db.close();
    throw err;
  }
}
