import { withNamespace } from '../../metadata/project';
import { makeId } from '../ids';
import type { EmulatedOrg } from '../org';
import { findObject } from '../schema/model';
import { EXTRAS_PERMISSION_SET } from './permission-sets';

/**
 * The setup records of the emulated org, rebuilt whenever grants change: licenses, profiles (each with
 * its profile-owned permission set), users, permission sets and their assignments, ObjectPermissions and
 * FieldPermissions rows, the Organization, and the installed package for the Tooling API.
 */

/** ObjectPermissions and FieldPermissions rows of every permission set, under subscriber (namespaced) names. */
function seedPermissionRows(org: EmulatedOrg, setIds: Map<string, string>): void {
  const ns = org.schema.namespace;
  const objTable = findObject(org.schema, 'ObjectPermissions');
  const fieldTable = findObject(org.schema, 'FieldPermissions');
  if (!objTable || !fieldTable) return;
  const objects = org.store.table(objTable);
  const fields = org.store.table(fieldTable);
  for (const id of [...objects.byId.keys()]) objects.remove(id);
  for (const id of [...fields.byId.keys()]) fields.remove(id);
  let o = 0;
  let f = 0;
  for (const [name, parentId] of setIds) {
    const ps = org.permissionSet(name);
    if (!ps || (name !== EXTRAS_PERMISSION_SET && !org.packageInstalled)) continue;
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

/** Writes (or rewrites) one setup record, with the system fields every record carries. */
type PutRecord = (objName: string, rec: Record<string, unknown>) => void;

function recordWriter(org: EmulatedOrg): PutRecord {
  return (objName, rec) => {
    const obj = findObject(org.schema, objName);
    if (!obj) return;
    const table = org.store.table(obj);
    const now = org.now();
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
}

/** The user licenses, the profiles and the users; returns the id of each profile by its name. */
function seedUsers(org: EmulatedOrg, put: PutRecord): Map<string, string> {
  const licenses = ['Salesforce', 'Salesforce Integration'];
  licenses.forEach((name, i) =>
    put('UserLicense', {
      Id: makeId('100', i + 1),
      Name: name,
      LicenseDefinitionKey: name.toUpperCase().replace(/ /g, '_'),
    }),
  );
  const profiles = new Map<string, string>();
  Object.values(org.users).forEach((u, i) => {
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
  return profiles;
}

/**
 * The package's permission sets (only once the package is installed) and the extras set; returns the id
 * of each by its name, installed or not, so assignments and permission rows can point at them.
 */
function seedPermissionSets(org: EmulatedOrg, put: PutRecord): Map<string, string> {
  const setNames = [...org.packagePermissionSetNames(), EXTRAS_PERMISSION_SET];
  const setIds = new Map<string, string>();
  setNames.forEach((name, i) => {
    const ps = org.permissionSet(name);
    const id = makeId('0PS', i + 1);
    setIds.set(name, id);
    const fromPackage = name !== EXTRAS_PERMISSION_SET;
    if (fromPackage && !org.packageInstalled) return;
    put('PermissionSet', {
      Id: id,
      Name: name,
      Label: ps?.label ?? name,
      NamespacePrefix: fromPackage ? org.schema.namespace : null,
      IsOwnedByProfile: false,
      PermissionsApiEnabled: ps?.userPermissions.includes('ApiEnabled') ?? false,
      PermissionsApiUserOnly: false,
      PermissionsModifyAllData: false,
    });
  });
  return setIds;
}

/**
 * Every profile owns a permission set (PermissionSet.IsOwnedByProfile); returns its id by profile name.
 * Only System Administrator's grants API access and Modify All Data.
 */
function seedProfileSets(profiles: Map<string, string>, put: PutRecord): Map<string, string> {
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
  return profileSets;
}

/** Each user's assignments: to its profile's own set, then to each permission set it holds. */
function seedAssignments(
  org: EmulatedOrg,
  put: PutRecord,
  profileSets: Map<string, string>,
  setIds: Map<string, string>,
): void {
  let n = 0;
  for (const u of Object.values(org.users)) {
    for (const psId of [profileSets.get(u.profile), ...u.permissionSets.map((ps) => setIds.get(ps))]) {
      if (psId) put('PermissionSetAssignment', { Id: makeId('0Pa', ++n), AssigneeId: u.id, PermissionSetId: psId });
    }
  }
}

/** The Organization, and the installed package the Tooling API reports once it is installed. */
function seedOrganizationAndPackage(org: EmulatedOrg, put: PutRecord): void {
  put('Organization', {
    Id: org.orgId,
    Name: 'Tightknit Emulated Org',
    NamespacePrefix: null,
    IsSandbox: false,
    OrganizationType: 'Developer Edition',
    InstanceName: 'EMU1',
    TrialExpirationDate: null,
  });
  if (!org.packageInstalled) return;
  put('SubscriberPackage', {
    Id: makeId('033', 1),
    Name: 'Tightknit Analytics',
    NamespacePrefix: org.schema.namespace,
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

/** Writes the setup records (users, profiles, permission sets, the installed package) the API can query. */
export function seedSetupRecords(org: EmulatedOrg): void {
  const put = recordWriter(org);
  const profiles = seedUsers(org, put);
  const setIds = seedPermissionSets(org, put);
  seedPermissionRows(org, setIds);
  const profileSets = seedProfileSets(profiles, put);
  seedAssignments(org, put, profileSets, setIds);
  seedOrganizationAndPackage(org, put);
}
