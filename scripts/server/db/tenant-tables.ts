import type { MigrationBuilder } from 'node-pg-migrate';

/**
 * The role every tenant-scoped transaction runs as (`SET LOCAL ROLE`): NOLOGIN, not a superuser, no
 * BYPASSRLS, so the row-level security policies always apply, whatever role the operator's URL names.
 */
export const APP_ROLE = 'tightknit_app';

/** The transaction-local setting that holds the tenant id a session may see. */
export const TENANT_SETTING = 'app.tenant';

/**
 * Makes `table` (which has a `tenant_id` column) tenant-private: row-level security enabled and forced
 * (the owner obeys it too), one policy that reads and writes only the rows of the tenant set for the
 * transaction, and the application role's privileges. No tenant set → no rows. Its tenant_id must default
 * to the transaction's tenant too (as 0005 set for the tables before it): the schema test reads every
 * tenant-private table from the catalogue and checks both, so no list of them is kept by hand.
 */
export function tenantPrivate(pgm: MigrationBuilder, table: string): void {
  pgm.sql(`
    ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
    ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
    CREATE POLICY ${table}_tenant ON ${table}
      USING (tenant_id = NULLIF(current_setting('${TENANT_SETTING}', true), '')::bigint)
      WITH CHECK (tenant_id = NULLIF(current_setting('${TENANT_SETTING}', true), '')::bigint);
    GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${APP_ROLE};
  `);
}

/** The column every tenant-private table starts with: the owning tenant, its rows gone with it. */
export const TENANT_COLUMN = 'tenant_id bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE';
