import type { Pool, PoolClient } from 'pg';

/**
 * Runs `fn` in one transaction on a pooled connection: commits when `fn` resolves, rolls back when it
 * throws (the error is rethrown), and always gives the connection back.
 */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
