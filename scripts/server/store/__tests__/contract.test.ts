import type { Pool } from 'pg';
import { openPool } from '../../db/connect';
import { migrate } from '../../db/migrate';
import { describeStoreContract } from '../../../test-support/store-contract';
import { usePostgres } from '../../../test-support/postgres';
import { PgStore } from '..';

/** The same suite the SQLite store passes, against one tenant per test in this file's own database. */
const pg = usePostgres();
let pool: Pool;
let tenants = 0;

beforeAll(async () => {
  pool = await openPool(pg.url);
  await migrate(pool);
}, 60_000);
afterAll(async () => {
  await pool.end();
});

describeStoreContract('PostgreSQL', async () => {
  tenants += 1;
  const { rows } = await pool.query<{ id: string }>('INSERT INTO tenants (name) VALUES ($1) RETURNING id', [
    `contract-${tenants}`,
  ]);
  const id = Number(rows[0].id);
  return {
    store: PgStore.open(pool, id, `tenant contract-${tenants}`),
    reopen: async () => PgStore.open(pool, id, `tenant contract-${tenants}`),
    dispose: async () => {
      await pool.query('DELETE FROM tenants WHERE id = $1', [id]);
    },
  };
});
