import type { MigrationBuilder } from 'node-pg-migrate';

/**
 * The API budget every worker shares per org (scripts/server/budget/api-budget.ts): what the org's
 * /limits said about DailyApiRequests, less what workers took since, and the reserve kept back. An
 * operator table keyed by org id: no tenant's data, no privilege for the application role.
 */
export function up(pgm: MigrationBuilder): void {
  pgm.sql(`
    CREATE TABLE org_api_budget (
      org text PRIMARY KEY,
      max integer NOT NULL,
      remaining integer NOT NULL,
      reserve integer NOT NULL,
      read_at timestamptz NOT NULL,
      -- Set while the budget is spent: nobody takes from it, or reads /limits again, before then.
      wait_until timestamptz
    );
  `);
}
