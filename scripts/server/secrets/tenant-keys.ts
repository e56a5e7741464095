import type { Pool, PoolClient } from 'pg';
import { UsageError } from '../../sync/errors';
import { inTransaction } from '../db/transaction';
import { MASTER_KEY_ENV, PREVIOUS_MASTER_KEY_ENV } from '../names';
import type { MasterKey, MasterKeys } from './master-key';
import { newDataKey, unwrapDataKey, wrapDataKey } from './envelope';

interface KeyRow {
  tenant_id: string;
  wrapped: Buffer;
  master_key_id: string;
}

function masterFor(keys: MasterKeys, row: KeyRow): MasterKey {
  if (row.master_key_id === keys.current.id) return keys.current;
  if (keys.previous && row.master_key_id === keys.previous.id) return keys.previous;
  throw new UsageError(
    'MASTER_KEY_UNKNOWN',
    `Tenant ${row.tenant_id}'s data key is wrapped by master key ${row.master_key_id}, which is neither ${MASTER_KEY_ENV} (${keys.current.id}) nor ${PREVIOUS_MASTER_KEY_ENV}${keys.previous ? ` (${keys.previous.id})` : ''}. Set ${PREVIOUS_MASTER_KEY_ENV} to the key used before the rotation.`,
  );
}

/** Creates and stores (wrapped) a new tenant's data key, inside the caller's transaction. */
export async function createDataKey(client: PoolClient, tenantId: number, keys: MasterKeys): Promise<void> {
  await client.query('INSERT INTO tenant_keys (tenant_id, wrapped, master_key_id) VALUES ($1, $2, $3)', [
    tenantId,
    wrapDataKey(keys.current, tenantId, newDataKey()),
    keys.current.id,
  ]);
}

/** A tenant's data key, unwrapped with whichever configured master key wrapped it. */
export async function dataKeyFor(pool: Pool, tenantId: number, keys: MasterKeys): Promise<Buffer> {
  const { rows } = await pool.query<KeyRow>(
    'SELECT tenant_id, wrapped, master_key_id FROM tenant_keys WHERE tenant_id = $1',
    [tenantId],
  );
  if (!rows[0]) {
    throw new UsageError(
      'DATA_KEY_MISSING',
      `Tenant ${tenantId} has no data key. Add it again with \`tightknit-sync tenants add\`.`,
    );
  }
  return unwrapDataKey(masterFor(keys, rows[0]), tenantId, rows[0].wrapped);
}

export interface RotationResult {
  /** The master key every data key is wrapped by now. */
  masterKeyId: string;
  rewrapped: number;
  alreadyCurrent: number;
}

/**
 * Re-wraps every tenant's data key with the current master key, in one transaction (all or none).
 * Only the wrapped keys change: secrets stay encrypted under the same data keys.
 */
export function rotateDataKeys(pool: Pool, keys: MasterKeys): Promise<RotationResult> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<KeyRow>(
      'SELECT tenant_id, wrapped, master_key_id FROM tenant_keys ORDER BY tenant_id FOR UPDATE',
    );
    let rewrapped = 0;
    for (const row of rows) {
      if (row.master_key_id === keys.current.id) continue;
      const tenantId = Number(row.tenant_id);
      const dataKey = unwrapDataKey(masterFor(keys, row), tenantId, row.wrapped);
      await client.query(
        'UPDATE tenant_keys SET wrapped = $2, master_key_id = $3, wrapped_at = now() WHERE tenant_id = $1',
        [tenantId, wrapDataKey(keys.current, tenantId, dataKey), keys.current.id],
      );
      rewrapped += 1;
    }
    return { masterKeyId: keys.current.id, rewrapped, alreadyCurrent: rows.length - rewrapped };
  });
}
