import { PackageProject, PermissionSetDef, withNamespace } from '../metadata/project';
import { makeId } from './ids';
import { findObject, OrgSchema, SObjectDef } from './schema/model';
import { UserAccess } from './security/access';
import { EXTRAS_PERMISSION_SET, extrasPermissionSet } from './security/permission-sets';
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
export const APPROVED_PERMISSION_SETS = ['Tightknit_Integration_User', 'Tightknit_Admin'];
const APPROVED_PROFILES = ['System Administrator'];

/** The state of one emulated org: schema, records, users, grants, faults and counters. */
export class EmulatedOrg {
  readonly store: RecordStore;
  readonly orgId = makeId('00D', 1);
  readonly users: Record<UserRole, OrgUser>;
  grants: EmulatorGrants;
  faults: Faults;
  /** Authenticated API calls served (the contract's apiCallCount). */
  apiCalls = 0;
  /** Calls counted against DailyApiRequests. */
  dailyApiRequests = 0;
  private accessCache = new Map<string, UserAccess>();

  constructor(
    readonly schema: OrgSchema,
    readonly project: PackageProject,
    private readonly packagePermissionSets: Map<string, PermissionSetDef>,
    readonly packageInstalled: boolean,
    grants: Partial<EmulatorGrants> = {},
    faults: Partial<Faults> = {},
  ) {
    this.store = new RecordStore(schema);
    this.grants = { ...DEFAULT_GRANTS, ...grants };
    this.faults = { ...DEFAULT_FAULTS, ...faults };
    const pkgSets = packageInstalled ? ['Tightknit_Integration_User'] : [];
    const mk = (
      role: UserRole,
      n: number,
      name: string,
      profile: string,
      license: string,
      sets: string[],
    ): OrgUser => ({
      role,
      id: makeId('005', n),
      username: `${role.toLowerCase()}@tightknit-emulator.test`,
      password: `${role}-Passw0rd!`,
      name,
      profile,
      license,
      permissionSets: sets,
    });
    this.users = {
      admin: mk(
        'admin',
        1,
        'Admin User',
        'System Administrator',
        'Salesforce',
        packageInstalled ? ['Tightknit_Admin'] : [],
      ),
      integration: mk(
        'integration',
        2,
        'Integration User',
        'Minimum Access - API Only Integrations',
        'Salesforce Integration',
        [...pkgSets, EXTRAS_PERMISSION_SET],
      ),
      apiOnly: mk('apiOnly', 3, 'API Only User', 'Minimum Access - API Only Integrations', 'Salesforce Integration', [
        ...pkgSets,
        EXTRAS_PERMISSION_SET,
      ]),
      unapproved: mk('unapproved', 4, 'Unapproved User', 'Standard User', 'Salesforce', [EXTRAS_PERMISSION_SET]),
    };
    this.seedSetupRecords();
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
      a = new UserAccess(this.schema.namespace, admin, apiEnabled, user.role === 'apiOnly', sets);
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
    this.seedSetupRecords();
  }

  now(): string {
    return formatDateTime(Date.now());
  }

  /** ObjectPermissions and FieldPermissions rows of every permission set, under subscriber (namespaced) names. */
  private seedPermissionRows(setIds: Map<string, string>): void {
    const ns = this.schema.namespace;
    const objTable = findObject(this.schema, 'ObjectPermissions');
    const fieldTable = findObject(this.schema, 'FieldPermissions');
    if (!objTable || !fieldTable) return;
    const objects = this.store.table(objTable);
    const fields = this.store.table(fieldTable);
    for (const id of [...objects.byId.keys()]) objects.remove(id);
    for (const id of [...fields.byId.keys()]) fields.remove(id);
    let o = 0;
    let f = 0;
    for (const [name, parentId] of setIds) {
      const ps = this.permissionSet(name);
      if (!ps || (name !== EXTRAS_PERMISSION_SET && !this.packageInstalled)) continue;
      for (const op of ps.objects) {
        objects.add({
          Id: makeId('110', ++o),
          ParentId: parentId,
          SobjectType: withNamespace(ns, op.object),
          PermissionsCreate: op.allowCreate,
          PermissionsRead: op.allowRead || op.viewAllRecords || op.modifyAllRecords,
          PermissionsEdit: op.allowEdit || op.modifyAllRecords,
          PermissionsDelete: op.allowDelete || op.modifyAllRecords,
          PermissionsViewAllRecords: op.viewAllRecords || op.modifyAllRecords,
          PermissionsModifyAllRecords: op.modifyAllRecords,
        });
      }
      for (const [key, access] of ps.fields) {
        const [objName, fieldName] = key.split('.');
        const sobject = withNamespace(ns, objName);
        fields.add({
          Id: makeId('01k', ++f),
          ParentId: parentId,
          SobjectType: sobject,
          Field: `${sobject}.${withNamespace(ns, fieldName)}`,
          PermissionsRead: access.readable || access.editable,
          PermissionsEdit: access.editable,
        });
      }
    }
  }

  /** Writes the setup records (users, profiles, permission sets, the installed package) the API can query. */
  private seedSetupRecords(): void {
    const put = (objName: string, rec: Record<string, unknown>): void => {
      const obj = findObject(this.schema, objName);
      if (!obj) return;
      const table = this.store.table(obj);
      const now = this.now();
      const admin = makeId('005', 1);
      table.remove(rec.Id as string);
      table.add({
        IsDeleted: false,
        CreatedDate: now,
        CreatedById: admin,
        LastModifiedDate: now,
        LastModifiedById: admin,
        SystemModstamp: now,
        ...rec,
      });
    };
    const licenses = ['Salesforce', 'Salesforce Integration'];
    licenses.forEach((name, i) =>
      put('UserLicense', {
        Id: makeId('100', i + 1),
        Name: name,
        LicenseDefinitionKey: name.toUpperCase().replace(/ /g, '_'),
      }),
    );
    const profiles = new Map<string, string>();
    Object.values(this.users).forEach((u, i) => {
      if (!profiles.has(u.profile)) {
        const id = makeId('00e', i + 1);
        profiles.set(u.profile, id);
        put('Profile', {
          Id: id,
          Name: u.profile,
          UserType: 'Standard',
          UserLicenseId: makeId('100', licenses.indexOf(u.license) + 1),
        });
      }
      const [first, ...rest] = u.name.split(' ');
      put('User', {
        Id: u.id,
        Username: u.username,
        Name: u.name,
        FirstName: first,
        LastName: rest.join(' '),
        Email: u.username,
        Alias: u.role.slice(0, 8),
        IsActive: true,
        UserType: 'Standard',
        ProfileId: profiles.get(u.profile),
      });
    });
    const setNames = [...this.packagePermissionSets.keys(), EXTRAS_PERMISSION_SET];
    const setIds = new Map<string, string>();
    setNames.forEach((name, i) => {
      const ps = this.permissionSet(name);
      const id = makeId('0PS', i + 1);
      setIds.set(name, id);
      const fromPackage = name !== EXTRAS_PERMISSION_SET;
      if (fromPackage && !this.packageInstalled) return;
      put('PermissionSet', {
        Id: id,
        Name: name,
        Label: ps?.label ?? name,
        NamespacePrefix: fromPackage ? this.schema.namespace : null,
        IsOwnedByProfile: false,
        PermissionsApiEnabled: ps?.userPermissions.includes('ApiEnabled') ?? false,
        PermissionsApiUserOnly: false,
        PermissionsModifyAllData: false,
      });
    });
    this.seedPermissionRows(setIds);
    // Every profile owns a permission set, and its users show an assignment to it (PermissionSet.IsOwnedByProfile).
    const profileSets = new Map<string, string>();
    [...profiles].forEach(([profile, profileId], i) => {
      const id = makeId('0PS', 100 + i);
      profileSets.set(profile, id);
      const admin = profile === 'System Administrator';
      put('PermissionSet', {
        Id: id,
        Name: `X${profileId.slice(0, 15)}`,
        Label: profile,
        NamespacePrefix: null,
        IsOwnedByProfile: true,
        PermissionsApiEnabled: admin,
        PermissionsApiUserOnly: false,
        PermissionsModifyAllData: admin,
      });
    });
    let n = 0;
    for (const u of Object.values(this.users)) {
      for (const psId of [profileSets.get(u.profile), ...u.permissionSets.map((ps) => setIds.get(ps))]) {
        if (psId) put('PermissionSetAssignment', { Id: makeId('0Pa', ++n), AssigneeId: u.id, PermissionSetId: psId });
      }
    }
    put('Organization', {
      Id: this.orgId,
      Name: 'Tightknit Emulated Org',
      NamespacePrefix: null,
      IsSandbox: false,
      OrganizationType: 'Developer Edition',
      InstanceName: 'EMU1',
    });
    if (this.packageInstalled) {
      put('SubscriberPackage', {
        Id: makeId('033', 1),
        Name: 'Tightknit Analytics',
        NamespacePrefix: this.schema.namespace,
        Description: null,
      });
      put('SubscriberPackageVersion', {
        Id: makeId('04t', 1),
        Name: 'ver 0.1',
        MajorVersion: 0,
        MinorVersion: 1,
        PatchVersion: 0,
        BuildNumber: 1,
        IsManaged: true,
        IsBeta: false,
      });
      put('InstalledSubscriberPackage', {
        Id: makeId('0A3', 1),
        SubscriberPackageId: makeId('033', 1),
        SubscriberPackageVersionId: makeId('04t', 1),
      });
    }
  }
}
