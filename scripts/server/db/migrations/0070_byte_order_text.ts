import type { MigrationBuilder } from 'node-pg-migrate';

/**
 * Every text column of the tenant-private tables compares byte by byte (`COLLATE "C"`), as the embedded
 * SQLite store does. The database's own collation (often a glibc locale such as C.UTF-8 or en_US.UTF-8)
 * compares through strcoll, which made inserts into a text-keyed index (external ids, Salesforce ids,
 * member ids) dearer: about 12 % for a million ledger rows in a measurement (docs/server.md, bench:pg-push).
 * Equality is unchanged; orderings now match the embedded store's without a COLLATE in each query.
 * Only index definitions are rebuilt (the column type stays text, no table rewrite). The schema test
 * checks that a table added later follows the rule (declare its text columns `text COLLATE "C"`).
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    DO $$
    DECLARE
      t record;
    BEGIN
      FOR t IN
        SELECT c.relname AS tbl,
               string_agg(format('ALTER COLUMN %I TYPE text COLLATE "C"', a.attname), ', ' ORDER BY a.attnum) AS alters
        FROM pg_class c
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND c.relforcerowsecurity
          AND a.atttypid = 'text'::regtype AND a.attcollation <> 'pg_catalog."C"'::regcollation
        GROUP BY c.relname
      LOOP
        EXECUTE format('ALTER TABLE %I %s', t.tbl, t.alters);
      END LOOP;
    END $$;
  `);
}
