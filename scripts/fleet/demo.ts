import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openTenantStore } from '../server/cli-support';
import { addUser } from '../server/people/people';
import { setSchedule } from '../server/queue/schedule';
import { createLogger } from '../server/serve/log';
import { startServerProcess } from '../server/serve/process';
import { productionRunner } from '../server/serve/production-runner';
import { SObjects } from '../generated/sobjects';
import { startFleet, type Fleet } from './harness';
import { waitForRuns } from './runs';

/** The demo's communities: three tenants, each with its own emulated org. */
const TENANTS = ['acme', 'globex', 'initech'];
const OWNER = 'owner@demo.example';

export interface ServerDemoOptions {
  /** A PostgreSQL server to create the demo's database on; unset: an embedded PostgreSQL. */
  database?: string;
  /** serve's port (0: any free port) and address. */
  port: number;
  host: string;
  /** A Slack export or NDJSON feed instead of the sample community. */
  sample?: string;
  /** Stay up (serve, the orgs, the database) until SIGINT/SIGTERM so a person can use the console. */
  keepRunning?: boolean;
  /** Seconds to wait for the three backfills (default 300). */
  timeoutSeconds?: number;
  onLine?: (line: string) => void;
}

/** What landed in one tenant's org, counted by the org itself, beside what its store holds. */
interface ServerDemoTenant {
  tenant: string;
  org: { instanceUrl: string; communities: number; members: number; activities: number };
  store: { members: number; activities: number };
  run: { type: string; status: string; seconds: number; worker: string };
}

export interface ServerDemoResult {
  database: 'embedded' | 'given';
  tenants: ServerDemoTenant[];
  console: { url: string; signIn: string; owner: string; setPasswordLink: string };
  serveLog: string;
}

/** One tenant's figures once its backfill finished. */
async function figures(fleet: Fleet, i: number, run: ServerDemoTenant['run']): Promise<ServerDemoTenant> {
  const t = fleet.tenants[i];
  const counts = await openTenantStore(fleet.pool, t.ref).counts();
  const count = (sobject: string): Promise<number> => fleet.emulator.count(t.org, sobject);
  return {
    tenant: t.ref.name,
    org: {
      instanceUrl: t.org.instanceUrl,
      communities: await count(SObjects.Community),
      members: await count(SObjects.Member),
      activities: await count(SObjects.Activity),
    },
    store: { members: counts.member, activities: counts.activity },
    run,
  };
}

/**
 * `demo --server`: the server mode end to end on one machine. Three tenants on a fresh PostgreSQL
 * database (embedded unless a server is given), each connected through the web flow to its own org of
 * one emulator process and holding the sample community; `serve` (in this process, two worker loops)
 * runs their schedules, so the scheduler queues each tenant's backfill and the workers run them
 * through the real queue. Prints what landed in each org, counted by the org, and how to sign in to
 * serve's console as the demo's owner; then stops cleanly, or stays up with `keepRunning`.
 */
export async function runServerDemo(opts: ServerDemoOptions): Promise<ServerDemoResult> {
  const say = opts.onLine ?? ((): void => undefined);
  const fleet = await startFleet({
    database: opts.database,
    tenants: TENANTS.length,
    names: TENANTS,
    sample: opts.sample,
    onStep: say,
  });
  const serveLog = join(mkdtempSync(join(tmpdir(), 'tightknit-demo-server-')), 'serve.log');
  const log = createLogger(pino.destination({ dest: serveLog, sync: true }));
  let proc: Awaited<ReturnType<typeof startServerProcess>> | undefined;
  try {
    proc = await startServerProcess({
      url: fleet.url,
      runner: productionRunner({ keys: fleet.keys, clientSecret: fleet.emulator.orgs[0].clientSecret }),
      log,
      concurrency: 2,
      ops: { port: opts.port, host: opts.host, keys: fleet.keys },
      tuning: { scheduleEverySeconds: 1, pollingIntervalSeconds: 0.5 },
    });
    const url = proc.opsUrl as string;
    say(`serve is up at ${url} with 2 worker loops (log: ${serveLog})`);
    for (const t of fleet.tenants) await setSchedule(fleet.pool, t.ref.id, { enabled: true, intervalMinutes: 5 });
    say('schedules on: the scheduler queues each tenant’s backfill, the workers run them');
    const runs = await waitForRuns(
      fleet.pool,
      fleet.tenants.map((t) => t.ref),
      { type: 'backfill', timeoutSeconds: opts.timeoutSeconds ?? 300 },
    );
    const tenants: ServerDemoTenant[] = [];
    for (const [i, run] of runs.entries()) {
      const f = await figures(fleet, i, run);
      tenants.push(f);
      say(
        `${f.tenant}: backfill ${run.status} in ${run.seconds.toFixed(1)} s on ${run.worker} → its org ${f.org.instanceUrl} holds ` +
          `${f.org.communities} community, ${f.org.members} members, ${f.org.activities} activities ` +
          `(store: ${f.store.members} members, ${f.store.activities} activities)`,
      );
    }
    let setPasswordLink = '';
    for (const t of fleet.tenants) {
      const added = await addUser(fleet.pool, { actor: 'demo' }, { email: OWNER, role: 'owner', tenant: t.ref });
      if (added.passwordToken) setPasswordLink = new URL(`/password/${added.passwordToken}`, url).toString();
    }
    say(
      `Console: ${url}/ (sign in at ${url}/signin) — ${OWNER} is owner of ${TENANTS.join(', ')}; ` +
        `set a password first (one-time link): ${setPasswordLink}`,
    );
    const result: ServerDemoResult = {
      database: fleet.database,
      tenants,
      console: { url: `${url}/`, signIn: `${url}/signin`, owner: OWNER, setPasswordLink },
      serveLog,
    };
    if (opts.keepRunning) {
      say('Everything stays up; Ctrl-C stops serve, the orgs and the database.');
      await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    }
    return result;
  } finally {
    await proc?.stop();
    await fleet.close();
  }
}
