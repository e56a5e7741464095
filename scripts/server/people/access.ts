import { AUTHORIZATION, SIGNED_IN, type Operation } from './authorization';
import { covers, OPERATOR } from './roles';
import type { Principal } from './sessions';

/** A refusal: the HTTP status and code the guard answers with, and the message naming the missing role. */
export class Refusal extends Error {
  readonly status = 403;
  readonly code = 'ROLE_REQUIRED';
}

/**
 * Whether a principal may perform an operation: null when allowed, else the refusal (403) naming the
 * role that is missing. The whole decision is here, from the authorization table.
 */
export function refusal(who: Principal, op: Operation): Refusal | null {
  const least = AUTHORIZATION[op];
  if (least === SIGNED_IN) return null;
  if (least === OPERATOR) {
    return who.operator ? null : new Refusal(`${op} needs the operator role (operator-wide); you do not have it.`);
  }
  if (!who.tenant) {
    return new Refusal(
      who.tenants.length > 0
        ? `${op} needs the ${least} role in this tenant; you hold no role in it (ask one of its admins for an invitation).`
        : `${op} needs the ${least} role in a tenant; you have no tenant role.`,
    );
  }
  if (covers(who.tenant.role, least)) return null;
  return new Refusal(
    `${op} needs the ${least} role (or above) in tenant '${who.tenant.name}'; you are ${who.tenant.role}.`,
  );
}
