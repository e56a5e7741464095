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
export { listAudit, parseSince, type AuditRow } from './people/audit';
export { addUser, listUsers, removeUser, setRole, type Membership } from './people/people';
export { parseRole } from './people/roles';
export { linkTo } from './people/settings';
export { createPeopleHandler, type PeopleHandler, type PeopleOptions } from './people/http/handler';
export { discoverOidc, oidcSettingsFromEnv } from './people/oidc';
export { AUTHORIZATION, type Operation } from './people/authorization';
export { recordAudit, type AuditEntry } from './people/db';
