import type { MigrationBuilder } from 'node-pg-migrate';
import * as tenants from './migrations/0001_tenants';
import * as community from './migrations/0002_community';
import * as ledger from './migrations/0003_ledger';
import * as sources from './migrations/0004_sources';
import * as tenantDefaults from './migrations/0005_tenant_defaults';
import * as workerTables from './migrations/0010_worker_tables';
import * as orgBudget from './migrations/0011_org_budget';
import * as connect from './migrations/0020_connect';
import * as people from './migrations/0030_people';
import * as audit from './migrations/0031_audit';
import * as tenantState from './migrations/0040_tenant_state';
import * as attemptHistory from './migrations/0060_attempt_history';
import * as byteOrderText from './migrations/0070_byte_order_text';
import * as bulkRowsWithoutFk from './migrations/0071_bulk_rows_without_fk';

/** A schema step: what node-pg-migrate calls with its builder. Steps are never edited once released. */
export interface SchemaStep {
  up: (pgm: MigrationBuilder) => void;
}

/**
 * Every step by file name (without extension), in the order they run. The runner lists the folder for names and order; the
 * modules come from here, statically imported, so the same code runs under tsx, jest and a bundle.
 */
export const STEPS: Record<string, SchemaStep> = {
  '0001_tenants': tenants,
  '0002_community': community,
  '0003_ledger': ledger,
  '0004_sources': sources,
  '0005_tenant_defaults': tenantDefaults,
  '0010_worker_tables': workerTables,
  '0011_org_budget': orgBudget,
  '0020_connect': connect,
  '0030_people': people,
  '0031_audit': audit,
  '0040_tenant_state': tenantState,
  '0060_attempt_history': attemptHistory,
  '0070_byte_order_text': byteOrderText,
  '0071_bulk_rows_without_fk': bulkRowsWithoutFk,
};
