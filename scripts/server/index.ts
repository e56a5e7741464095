/**
 * Server mode's foundation: the PostgreSQL schema with tenants and row-level security, tenant-scoped
 * transactions, and envelope encryption of each tenant's secrets. Front ends import from here.
 */
export { describeUrl, openPool } from './db/connect';
export { DATABASE_ENV, MASTER_KEY_ENV, PREVIOUS_MASTER_KEY_ENV } from './names';
export { migrate } from './db/migrate';
export { withTenant } from './db/tenant-scope';
export { resolveMasterKeys, type MasterKeys } from './secrets/master-key';
export { rotateDataKeys, type RotationResult } from './secrets/tenant-keys';
export { getSecret, putSecret } from './secrets/tenant-secrets';
export {
  addTenant,
  findTenant,
  listTenants,
  removeTenant,
  type Tenant,
  type TenantStatus,
  type TenantSummary,
} from './tenants';
export { CONNECT_PATHS, connectRoutes } from './connect/routes';
export { connectSettingsFromEnv, type ConnectSettings } from './connect/settings';
export type { ConnectContext, ConnectLogEntry } from './connect/http';
export { slackEventCounts, type SlackEventCounts } from './connect/slack/events';
export { loadTenantConfig, saveTenantConfig, StaleConfigError, type VersionedConfig } from './tenant-state/config';
export { saveTenantSettings } from './tenant-state/settings';
export {
  loadTenantCredentials,
  loadTenantSlackCredentials,
  openTenantConnection,
  saveTenantCredentials,
  saveTenantSlackCredentials,
  tenantCredentials,
  type SlackCredentials,
} from './tenant-state/credentials';
export type { TenantRef } from './tenant-state/tenant-ref';
export { migrateState, type MigrateStateResult } from './migrate-state';
export { setSchedule, type ScheduleSettings } from './queue/schedule';
export { createLogger } from './serve/log';
export { productionRunner } from './serve/production-runner';
export { useWorkerMemory } from './serve/heap';
export { runUntilSignal, startServerProcess } from './serve/process';
export type { TenantPassInput, TenantPassResult, TenantPassRunner } from './serve/runner';
export {
  API_PASS_REQUESTS_ENV,
  API_RESERVE_ENV,
  ApiBudget,
  WAITING_API_BUDGET,
  type ApiBudgetOptions,
  type LimitsReader,
  type OrgLimits,
  type TakeOptions,
} from './budget/api-budget';
export { withBulkLock, type BulkLockOptions } from './budget/bulk-lock';
export { listAudit, parseSince, type AuditRow } from './people/audit';
export { addUser, listUsers, passwordLinkFor, removeUser, setRole, type Membership } from './people/people';
export { parseRole } from './people/roles';
export { linkTo } from './people/settings';
export { createPeopleHandler, type PeopleHandler, type PeopleOptions } from './people/http/handler';
export { discoverOidc, oidcSettingsFromEnv } from './people/oidc';
export { AUTHORIZATION, type Operation } from './people/authorization';
export { recordAudit, type AuditEntry } from './people/db';
