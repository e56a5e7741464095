import { OPERATOR, type TenantRole } from './roles';

/** Any signed-in person, whatever their role (their own session: sign out, switch tenant). */
export const SIGNED_IN = 'signed-in';

/**
 * The least role an operation needs: a tenant role (held in the session's tenant), the operator role, or
 * just a session.
 */
export type LeastRole = TenantRole | typeof OPERATOR | typeof SIGNED_IN;

/**
 * The authorization table: every operation of the server console and the people layer, and the least
 * role that may perform it. The server checks every request against this table (`guard(operation)`);
 * the pages only hide what a role cannot do. A route without an entry here cannot be guarded (a test
 * walks every route of the people handler against this table).
 */
export const AUTHORIZATION = {
  // One's own session.
  'session.read': SIGNED_IN,
  'session.tenant': SIGNED_IN,
  signout: SIGNED_IN,
  'signout.everywhere': SIGNED_IN,
  // Reading: never a secret, never a change.
  status: 'viewer',
  history: 'viewer',
  investigate: 'viewer',
  // The integration itself.
  connect: 'integrations-manager',
  disconnect: 'integrations-manager',
  'slack.install': 'integrations-manager',
  'slack.disconnect': 'integrations-manager',
  configure: 'integrations-manager',
  start: 'integrations-manager',
  sync: 'integrations-manager',
  pause: 'integrations-manager',
  resume: 'integrations-manager',
  retry: 'integrations-manager',
  rematch: 'integrations-manager',
  // People and the record of who changed what.
  'people.list': 'admin',
  'people.invite': 'admin',
  'people.set-role': 'admin',
  'people.remove': 'admin',
  'people.password-link': 'admin',
  'audit.list': 'admin',
  // The tenant itself.
  'ownership.transfer': 'owner',
  'tenant.delete': 'owner',
  // The installation.
  'tenants.list': OPERATOR,
  'tenants.add': OPERATOR,
  'tenants.remove': OPERATOR,
} as const satisfies Record<string, LeastRole>;

export type Operation = keyof typeof AUTHORIZATION;

/** Every operation, in the table's order. */
export const OPERATIONS = Object.keys(AUTHORIZATION) as Operation[];
