import { PackageProject, PermissionSetDef } from '../metadata/project';
import { makeId } from './ids';
import { findObject, OrgSchema, SObjectDef } from './schema/model';
import { UserAccess } from './security/access';
import { EXTRAS_PERMISSION_SET, extrasPermissionSet } from './security/permission-sets';
import { seedSetupRecords } from './security/setup-records';
import { RecordStore } from './store/record-store';
import { formatDateTime } from './store/values';
import { DEFAULT_FAULTS, DEFAULT_GRANTS, EmulatorGrants, Faults } from './types';

/** Which of the org's built-in users this is. */
export type UserRole = 'admin' | 'integration' | 'apiOnly' | 'unapproved';

/** A user of the emulated org with what decides their access. */
export interface OrgUser {
  role: UserRole;
  id: string;
  username: string;
  password: string;
  name: string;
  profile: string;
  license: string;
  permissionSets: string[];
}

/** Permission sets whose holders the External Client App's "admin approved users" policy lets in. */
const APPROVED_PERMISSION_SETS = ['Tightknit_Integration_User', 'Tightknit_Admin'];
const APPROVED_PROFILES = ['System Administrator'];

/**
 * Where an org's generated ids start: org 1 from 1 (the ids a lone emulator always gave), org N from
 * (N - 1) × 10⁹, so ids never repeat across the orgs of one process, as real ids are unique across orgs.
 */
export function idBase(orgNumber: number): number {
  return (orgNumber - 1) * 1_000_000_000;
}

/**
 * The built-in users of org number `orgNumber`. Usernames are unique across orgs, as Salesforce's are
 * (and as the sf CLI needs: it files each login under its username): org 1 keeps
 * `admin@tightknit-emulator.test`, org N is `admin@orgN.tightknit-emulator.test`.
 */
export function orgUsers(orgNumber: number, packageInstalled: boolean): Record<UserRole, OrgUser> {
  const domain = orgNumber === 1 ? 'tightknit-emulator.test' : `org${orgNumber}.tightknit-emulator.test`;
  const pkgSets = packageInstalled ? ['Tightknit_Integration_User'] : [];
  const mk = (role: UserRole, n: number, name: string, profile: string, license: string, sets: string[]): OrgUser => ({
    role,
    id: makeId('005', n),
    username: `${role.toLowerCase()}@${domain}`,
    password: `${role}-Passw0rd!`,
    name,
    profile,
    license,
    permissionSets: sets,
  });
  const integrationSets = [...pkgSets, EXTRAS_PERMISSION_SET];
  const apiProfile = 'Minimum Access - API Only Integrations';
  return {
    admin: mk(
      'admin',
      1,
      'Admin User',
      'System Administrator',
      'Salesforce',
      packageInstalled ? ['Tightknit_Admin'] : [],
    ),
    integration: mk('integration', 2, 'Integration User', apiProfile, 'Salesforce Integration', integrationSets),
    apiOnly: mk('apiOnly', 3, 'API Only User', apiProfile, 'Salesforce Integration', [...integrationSets]),
    unapproved: mk('unapproved', 4, 'Unapproved User', 'Standard User', 'Salesforce', [EXTRAS_PERMISSION_SET]),
  };
}

/** The state of one emulated org: schema, records, users, grants, faults and counters. */
export class EmulatedOrg {
  readonly store: RecordStore;
  readonly orgId: string;
  readonly users: Record<UserRole, OrgUser>;
  grants: EmulatorGrants;
  faults: Faults;
  /** Authenticated API calls served (the contract's apiCallCount). */
  apiCalls = 0;
  /** Calls counted against DailyApiRequests. */
  dailyApiRequests = 0;
  private accessCache = new Map<string, UserAccess>();
  private lastNow = 0;

  constructor(
    readonly schema: OrgSchema,
    readonly project: PackageProject,
    private readonly packagePermissionSets: Map<string, PermissionSetDef>,
    readonly packageInstalled: boolean,
    grants: Partial<EmulatorGrants> = {},
    faults: Partial<Faults> = {},
    /** This org's number among the orgs of one process (1 for a lone emulator): its org id, ids, usernames. */
    readonly orgNumber = 1,
  ) {
    this.orgId = makeId('00D', orgNumber);
    this.store = new RecordStore(schema, idBase(orgNumber));
    this.grants = { ...DEFAULT_GRANTS, ...grants };
    this.faults = { ...DEFAULT_FAULTS, ...faults };
    this.users = orgUsers(orgNumber, packageInstalled);
    seedSetupRecords(this);
  }

  /** Looks an object up as the REST API does (Tooling objects only through /tooling). */
  object(name: string, tooling = false): SObjectDef | undefined {
    const obj = findObject(this.schema, name);
    return obj && obj.tooling === tooling ? obj : undefined;
  }

  userById(id: string): OrgUser | undefined {
    return Object.values(this.users).find((u) => u.id === id);
  }

  userByName(username: string): OrgUser | undefined {
    return Object.values(this.users).find((u) => u.username.toLowerCase() === username.toLowerCase());
  }

  /** Every permission set of the org: the package's, plus the subscriber's extras set. */
  permissionSet(name: string): PermissionSetDef | undefined {
    return name === EXTRAS_PERMISSION_SET ? extrasPermissionSet(this.grants) : this.packagePermissionSets.get(name);
  }

  /** The combined access of a user (cached until grants change). */
  access(user: OrgUser): UserAccess {
    let a = this.accessCache.get(user.id);
    if (!a) {
      const sets = user.permissionSets.map((n) => this.permissionSet(n)).filter((p): p is PermissionSetDef => !!p);
      const admin = user.role === 'admin';
      const apiEnabled = admin || sets.some((s) => s.userPermissions.includes('ApiEnabled'));
      a = new UserAccess(
        this.schema.namespace,
        admin,
        apiEnabled,
        user.role === 'apiOnly',
        sets,
        this.grants.hiddenFields ?? [],
      );
      this.accessCache.set(user.id, a);
    }
    return a;
  }

  /** "Admin approved users are pre-authorized": profile or permission set must be on the app's list. */
  approvedForApp(user: OrgUser): boolean {
    return (
      APPROVED_PROFILES.includes(user.profile) || user.permissionSets.some((p) => APPROVED_PERMISSION_SETS.includes(p))
    );
  }

  setGrants(g: Partial<EmulatorGrants>): void {
    this.grants = { ...this.grants, ...g };
    this.accessCache.clear();
    seedSetupRecords(this);
  }

  /** Names of the permission sets read from the package (or from `permissionSetsDir`). */
  packagePermissionSetNames(): string[] {
    return [...this.packagePermissionSets.keys()];
  }

  /**
   * The org's clock as a stored date-time. Never goes backwards (a wall-clock step back would give a later
   * write an earlier SystemModstamp and hide it from a change query); two writes in one millisecond share it.
   */
  now(): string {
    this.lastNow = Math.max(this.lastNow, Date.now());
    return formatDateTime(this.lastNow);
  }
}
