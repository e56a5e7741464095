import type { Pool, PoolClient } from 'pg';
import { UsageError } from '../../sync/errors';
import { withTenant } from '../db/tenant-scope';
import { seal, unseal } from './envelope';
import type { MasterKeys } from './master-key';
import { dataKeyFor } from './tenant-keys';

const secretAad = (tenantId: number, name: string): string => `tightknit secret ${name} of tenant ${tenantId}`;

/** Stores one secret of a tenant (a token, a client secret), sealed with the tenant's data key. */
export async function putSecret(
  pool: Pool,
  keys: MasterKeys,
  tenantId: number,
  name: string,
  value: string,
): Promise<void> {
  const dataKey = await dataKeyFor(pool, tenantId, keys);
  await withTenant(pool, tenantId, (c) => writeSecret(c, dataKey, tenantId, name, value));
}

/** `putSecret` inside a tenant transaction the caller holds, with the tenant's data key already unwrapped. */
export async function writeSecret(
  client: PoolClient,
  dataKey: Buffer,
  tenantId: number,
  name: string,
  value: string,
): Promise<void> {
  const s = seal(dataKey, Buffer.from(value, 'utf8'), secretAad(tenantId, name));
  await client.query(
    `INSERT INTO tenant_secrets (tenant_id, name, iv, tag, data) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, name) DO UPDATE SET iv = excluded.iv, tag = excluded.tag, data = excluded.data, updated_at = now()`,
    [tenantId, name, s.iv, s.tag, s.data],
  );
}

/** Reads one secret of a tenant; undefined when it was never stored. */
export async function getSecret(
  pool: Pool,
  keys: MasterKeys,
  tenantId: number,
  name: string,
): Promise<string | undefined> {
  const rows = await withTenant(
    pool,
    tenantId,
    async (c) =>
      (
        await c.query<{ iv: Buffer; tag: Buffer; data: Buffer }>(
          'SELECT iv, tag, data FROM tenant_secrets WHERE name = $1',
          [name],
        )
      ).rows,
  );
  if (!rows[0]) return undefined;
  const plain = unseal(await dataKeyFor(pool, tenantId, keys), rows[0], secretAad(tenantId, name));
  if (!plain) {
    throw new UsageError(
      'SECRET_UNREADABLE',
      `Tenant ${tenantId}'s secret '${name}' does not open with its data key (the row was changed). Store it again (reconnect).`,
    );
  }
  return plain.toString('utf8');
}
