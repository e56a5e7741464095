import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { migrate } from '../../db/migrate';
import { withTenant } from '../../db/tenant-scope';
import { resolveMasterKeys, type MasterKeys } from '../../secrets/master-key';
import { addTenant } from '../../tenants';
import type { RunningEmulator } from '../../../org-emulator';
import { parseConfig } from '../../../sync/config';
import { fetchUserInfo } from '../../../sync/connection/token-endpoint';
import { ingest } from '../../../sync/ingest';
import { SAMPLE_EXPORT } from '../../../sync/ops/demo';
import { PgStore } from '../../store';
import { saveTenantCredentials } from '../../tenant-state/credentials';
import type { TenantRef } from '../../tenant-state/tenant-ref';
import { createLogger } from '../log';

/** Short timings for tests: a silent worker is presumed dead after 10 s, retries after 1 s. */
export const FAST = {
  queue: { heartbeatSeconds: 10, superviseIntervalSeconds: 1, retryDelaySeconds: 1 },
  pollingIntervalSeconds: 0.5,
  scheduleEverySeconds: 1,
};

/** A logger whose JSON lines a test reads back. */
export function captureLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger(sink), lines };
}

/** Connects a tenant to an emulated org as the console's web flow leaves it (tokens sealed, the org id); returns the tokens. */
export async function connectToEmulator(
  pool: Pool,
  keys: MasterKeys,
  t: TenantRef,
  emu: RunningEmulator,
): Promise<ReturnType<RunningEmulator['issueTokens']>> {
  const tokens = emu.issueTokens('integration');
  const who = await fetchUserInfo(emu.instanceUrl, tokens.accessToken);
  await saveTenantCredentials(pool, keys, t, {
    method: 'web',
    loginUrl: emu.loginUrl,
    instanceUrl: emu.instanceUrl,
    clientId: emu.clientId,
    orgId: who.orgId,
    connectedAt: new Date().toISOString(),
    secrets: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
  });
  return tokens;
}

/** Ingests the sample community into the tenant's PgStore, as `ingest --tenant` does. */
export async function ingestSample(pool: Pool, t: TenantRef): Promise<void> {
  await ingest({ path: SAMPLE_EXPORT, store: PgStore.open(pool, t.id, t.name), config: parseConfig({}, 'defaults') });
}

/** Migrates the database and adds tenants with these names; returns their ids. */
export async function addTenants(pool: Pool, ...names: string[]): Promise<number[]> {
  await migrate(pool);
  const keys = resolveMasterKeys({ TIGHTKNIT_MASTER_KEY: randomBytes(32).toString('base64') });
  const ids: number[] = [];
  for (const name of names) ids.push((await addTenant(pool, keys, name)).tenant.id);
  return ids;
}

/** Polls `check` every 100 ms until it returns a value, for at most `seconds`. */
export async function until<T>(check: () => Promise<T | undefined | false>, seconds: number): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`not within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The tenant's ledger runs, read in its own scope (row-level security applies). */
export async function ledgerRuns(pool: Pool, tenantId: number): Promise<{ type: string; status: string }[]> {
  return withTenant(
    pool,
    tenantId,
    async (c) =>
      (await c.query<{ type: string; status: string }>('SELECT type, status FROM ledger_runs ORDER BY id')).rows,
  );
}

interface AttemptRow {
  type: string;
  status: string;
  job_id: string;
  attempt: number;
  message: string | null;
}

/** Every attempt of the tenant's runs, oldest first. */
export async function attempts(pool: Pool, tenantId: number): Promise<AttemptRow[]> {
  const { rows } = await pool.query<AttemptRow>(
    'SELECT type, status, job_id, attempt, message FROM run_attempts WHERE tenant_id = $1 ORDER BY started_at, attempt',
    [tenantId],
  );
  return rows;
}
