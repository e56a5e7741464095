import { UsageError } from '../../sync/errors';

/** A tenant's roles, most powerful first. Each includes everything the ones after it may do. */
export const TENANT_ROLES = ['owner', 'admin', 'integrations-manager', 'viewer'] as const;

export type TenantRole = (typeof TENANT_ROLES)[number];

/** The operator-wide role: manages tenants; holds no tenant role by itself. */
export const OPERATOR = 'operator';

export type Role = TenantRole | typeof OPERATOR;

const ALL_ROLES: readonly Role[] = [...TENANT_ROLES, OPERATOR];

/** True when `held` is `least` or above it. */
export function covers(held: TenantRole, least: TenantRole): boolean {
  return TENANT_ROLES.indexOf(held) <= TENANT_ROLES.indexOf(least);
}

/** The role named by `name`; anything else is refused with the list of roles. */
export function parseRole(name: string): Role {
  const role = ALL_ROLES.find((r) => r === name.trim().toLowerCase());
  if (!role) {
    throw new UsageError(
      'ROLE_UNKNOWN',
      `'${name}' is not a role. Roles: ${ALL_ROLES.join(', ')} (operator is operator-wide; the others are per tenant).`,
    );
  }
  return role;
}

/** A tenant role by name (operator refused: it is not given per tenant). */
export function parseTenantRole(name: string): TenantRole {
  const role = parseRole(name);
  if (role === OPERATOR) {
    throw new UsageError(
      'ROLE_NOT_PER_TENANT',
      `operator is an operator-wide role, not a tenant's: give it without --tenant. Tenant roles: ${TENANT_ROLES.join(', ')}.`,
    );
  }
  return role;
}
