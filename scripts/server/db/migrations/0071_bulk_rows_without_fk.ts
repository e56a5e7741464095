import type { MigrationBuilder } from 'node-pg-migrate';

/**
 * The tables that grow with a community (members, activities and the ledger's per-record rows) no longer
 * carry a foreign key to tenants. A foreign key checks each inserted row with a query of its own (a row
 * lock on the tenant, too): a third of the time of a backfill's million ledger rows, and as much of an
 * ingest's. Their rows still belong to a tenant only by row-level security (tenant_id defaults to the
 * transaction's tenant, and the policy refuses any other), and they still go with it: a trigger on
 * tenants deletes, before the tenant row, its rows of every table with a tenant_id and no foreign key
 * to tenants (found in the catalogue, so a table added later the same way is covered). It scopes the
 * session to that tenant for its deletes, as the policy asks, and restores the scope it found.
 */
const BULK_TABLES = [
  'members',
  'activities',
  'ledger_records',
  'ledger_deletes',
  'ledger_failed',
  'ledger_pending',
  'ledger_contact_links',
  'ledger_match_seen',
  'ledger_match_waiting',
];

export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    ${BULK_TABLES.map((t) => `ALTER TABLE ${t} DROP CONSTRAINT ${t}_tenant_id_fkey;`).join('\n    ')}

    CREATE FUNCTION tenant_rows_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      scope text := current_setting('app.tenant', true);
      t regclass;
    BEGIN
      PERFORM set_config('app.tenant', OLD.id::text, true);
      FOR t IN
        SELECT c.oid::regclass FROM pg_class c
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                          WHERE k.conrelid = c.oid AND k.contype = 'f' AND k.confrelid = 'tenants'::regclass)
      LOOP
        EXECUTE format('DELETE FROM %s WHERE tenant_id = $1', t) USING OLD.id;
      END LOOP;
      PERFORM set_config('app.tenant', coalesce(scope, ''), true);
      RETURN OLD;
    END $$;

    CREATE TRIGGER tenant_rows_delete BEFORE DELETE ON tenants
      FOR EACH ROW EXECUTE FUNCTION tenant_rows_delete();
  `);
}
