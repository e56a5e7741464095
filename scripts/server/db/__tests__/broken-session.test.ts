import { usePostgres } from '../../../test-support/postgres';
import { openPool } from '../connect';

describe('a session ended while its connection is checked out (a database restart mid-pass)', () => {
  const pg = usePostgres();

  it('does not crash the process: the holder’s next statement fails, and the pool goes on with a new connection', async () => {
    const pool = await openPool(pg.url, 2);
    try {
      const held = await pool.connect();
      const { rows } = await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // Ended from another session while `held` runs no statement: the server's FATAL has no query to fail.
      await pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await new Promise((r) => setTimeout(r, 200));
      await expect(held.query('SELECT 1')).rejects.toThrow();
      held.release();
      const again = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(again.rows[0].one).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
