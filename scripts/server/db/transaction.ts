import type { Pool, PoolClient } from 'pg';

/**
 * Runs `fn` in one transaction on a pooled connection: commits when `fn` resolves, rolls back when it
 * throws (the error is rethrown), and always gives the connection back. A connection that breaks while
 * checked out (the server restarted, an administrator ended the session) emits an error between
 * queries: it is caught here, so it cannot crash the process, and the connection is closed instead of
 * going back to the pool; the next transaction opens a new one. `begin`: the statements that open the
 * transaction, sent in one round trip (BEGIN and, for a tenant's scope, its settings).
 */
export async function inTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error): void => {
    broken = err;
  };
  client.on('error', onError);
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // A ROLLBACK that fails means the connection itself is gone.
    await client.query('ROLLBACK').catch((rollbackErr: Error) => {
      broken ??= rollbackErr;
    });
    throw err;
  } finally {
    client.off('error', onError);
    client.release(broken ?? false);
  }
}
