import type { Pool } from 'pg';
import type { KeyOptions } from '../../sync/connection/encryption';
import { UsageError } from '../../sync/errors';
import type { TransferCounts } from '../../sync/store/contract';
import { openAsyncStore } from '../../sync/store/sqlite/async';
import type { MasterKeys } from '../secrets/master-key';
import { dataKeyFor } from '../secrets/tenant-keys';
import { writeSecret } from '../secrets/tenant-secrets';
import { openTransaction, type HeldExec } from '../store/exec';
import { PgTransfer } from '../store/transfer';
import { findTenant, type Tenant } from '../tenants';
import { writeConfigVersion } from '../tenant-state/config';
import { SALESFORCE_SECRET, SLACK_SECRET } from '../tenant-state/credentials';
import { nextSteps } from './next-steps';
import { readStateDir, type StateDirContents } from './state-dir';

/** Rows per batch read from the state directory and copied into the tenant. */
const BATCH = 5_000;

interface MigrateStateOptions {
  pool: Pool;
  keys: MasterKeys;
  tenant: string;
  /** The state directory and how its credentials key is found (as `connect` stored it). */
  stateKey: KeyOptions;
  batchSize?: number;
}

export interface MigrateStateResult {
  tenant: string;
  stateDir: string;
  /** Rows moved per table of the store. */
  rows: TransferCounts;
  /** The state directory's last change sequence: the tenant's sequence goes on from there. */
  lastSeq: number;
  configuration: boolean;
  orgCredentials: boolean;
  slackCredentials: boolean;
  /** What to do now, one step per line. */
  next: string[];
}

/** Tenant tables outside the store that a tenant in use fills: any row in them means it is not new. */
const TENANT_TABLES = ['tenant_configs', 'tenant_secrets', 'tenant_settings'];

async function refuseUsedTenant(q: HeldExec, tenant: Tenant): Promise<void> {
  const used: string[] = [];
  for (const t of TENANT_TABLES) if ((await q.query(`SELECT 1 FROM ${t} LIMIT 1`)).rowCount > 0) used.push(t);
  if (tenant.status === 'removed') used.push('(removed)');
  if (used.length === 0) return;
  throw notEmpty(tenant);
}

function notEmpty(tenant: Tenant, cause?: unknown): UsageError {
  return new UsageError(
    'TENANT_NOT_EMPTY',
    `Tenant '${tenant.name}' is not empty (it holds a store, a configuration or credentials, or was removed): migrate-state only fills a new tenant.`,
    {
      actions: [
        'Add a new tenant with `tightknit-sync tenants add <name>` and migrate into it,',
        `or delete this one's data with \`tightknit-sync tenants remove ${tenant.name} --delete-data\`, add it again and migrate.`,
      ],
      cause,
    },
  );
}

async function writeTenantState(q: HeldExec, dataKey: Buffer, tenant: Tenant, state: StateDirContents): Promise<void> {
  await writeConfigVersion(q.client, { version: 1, config: state.config });
  if (state.credentials) {
    await writeSecret(q.client, dataKey, tenant.id, SALESFORCE_SECRET, JSON.stringify(state.credentials));
  }
  if (state.slack) await writeSecret(q.client, dataKey, tenant.id, SLACK_SECRET, JSON.stringify(state.slack));
}

/**
 * Moves an embedded state directory into an empty tenant, in one transaction: the store (community data,
 * ledger, matching ledger, Slack inbox, cursors and receivers, feed positions, source settings) streamed in
 * batches, the configuration as the tenant's version 1, the org and Slack credentials decrypted with the
 * state directory's key and sealed with the tenant's data key. Change sequences and watermarks are kept,
 * so the tenant's first push sends nothing the state directory's pushes sent. The state directory is only
 * read and stays usable. Any failure leaves the tenant as it was.
 */
export async function migrateState(opts: MigrateStateOptions): Promise<MigrateStateResult> {
  const tenant = await findTenant(opts.pool, opts.tenant);
  const state = await readStateDir(opts.stateKey);
  const dataKey = await dataKeyFor(opts.pool, tenant.id, opts.keys);
  const source = openAsyncStore({ stateDir: opts.stateKey.stateDir });
  try {
    const lastSeq = await source.maxSeq();
    const community = (await source.changedCommunities(0, 1)).find((c) => !c.deleted)?.row.name ?? null;
    const tx = await openTransaction(opts.pool, tenant.id);
    let rows: TransferCounts;
    try {
      await refuseUsedTenant(tx.exec, tenant);
      rows = await new PgTransfer(tx.exec).importRows(source.transfer.exportRows(opts.batchSize ?? BATCH));
      await writeTenantState(tx.exec, dataKey, tenant, state);
      // The registry is the operator's table, outside the tenant role's reach: leave that role for it.
      await tx.exec.query('RESET ROLE');
      await tx.exec.query('UPDATE tenants SET community = $2, org = $3 WHERE id = $1', [
        tenant.id,
        community,
        state.credentials?.orgId ?? null,
      ]);
    } catch (err) {
      await tx.rollback();
      if ((err as { code?: string }).code === 'STORE_NOT_EMPTY') throw notEmpty(tenant, err);
      throw err;
    }
    await tx.commit();
    return {
      tenant: tenant.name,
      stateDir: opts.stateKey.stateDir,
      rows,
      lastSeq,
      configuration: true,
      orgCredentials: state.credentials !== undefined,
      slackCredentials: state.slack !== undefined,
      next: nextSteps(tenant.name, opts.stateKey.stateDir, state),
    };
  } finally {
    await source.close();
  }
}
