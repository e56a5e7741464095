import type { AssignmentResult, ContactAccess, Dto, SetupState, UserOption } from '../contract';
import { AuraHandledError, str, type CallContext } from '../aura';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { label } from '../../labels';
import { REPO_ROOT } from '../../../metadata/project';
import { children, readMetadataXml, text } from '../../../metadata/xml';
import { inList, query, quote, save, QueryException, type ApexRecord } from '../soql';

/*
 * TightknitSetupController over the emulator's setup records (User, Profile, PermissionSet,
 * PermissionSetAssignment, ObjectPermissions) and the Tightknit_Settings__c custom setting. Every
 * refusal reaches the wizard as its message, as TightknitSetupAccess.toAuraException does.
 */

const INTEGRATION_PERMISSION_SET = 'Tightknit_Integration_User';
const API_ONLY_LICENSE = 'Salesforce Integration';
const USER_FIELDS = 'Id, Name, Username, Profile.Name, Profile.UserLicense.Name';

let managers: string[] | undefined;

/** The package permission sets granting the Tightknit_Manage_Setup custom permission (read from force-app). */
function setupManagerSets(): string[] {
  if (!managers) {
    const dir = join(REPO_ROOT, 'force-app/main/default/permissionsets');
    managers = readdirSync(dir)
      .filter((f) => f.endsWith('.permissionset-meta.xml'))
      .filter((f) =>
        children(readMetadataXml(join(dir, f)).root, 'customPermissions').some(
          (c) => text(c, 'name') === 'Tightknit_Manage_Setup' && text(c, 'enabled') === 'true',
        ),
      )
      .map((f) => f.replace('.permissionset-meta.xml', ''));
  }
  return managers;
}

/** TightknitSetupAccess.requireSetupAdmin: only holders of Manage Tightknit Setup get past it. */
async function requireSetupAdmin(ctx: CallContext): Promise<void> {
  const held = await query(
    ctx.session,
    `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${quote(ctx.session.userId)} AND PermissionSet.Name IN ${inList(setupManagerSets())}`,
  );
  if (held.length === 0) throw new AuraHandledError(label('Setup_Not_Admin'));
}

/** Every Setup method: admins only, and every refusal reaches the wizard as its message. */
export async function run<T>(ctx: CallContext, work: () => Promise<T>): Promise<T> {
  try {
    await requireSetupAdmin(ctx);
    return await work();
  } catch (e) {
    if (e instanceof QueryException) throw new AuraHandledError(e.message);
    throw e;
  }
}

function userOption(u: ApexRecord): Dto<typeof UserOption> {
  const profile = u.Profile as ApexRecord | undefined;
  const licenseName = str((profile?.UserLicense as ApexRecord | undefined)?.Name);
  return {
    id: str(u.Id),
    name: str(u.Name),
    username: str(u.Username),
    profileName: str(profile?.Name),
    licenseName,
    // The emulator's Profile has no PermissionsApiUserOnly; the license tells the API-only users apart.
    apiOnly: licenseName === API_ONLY_LICENSE,
  };
}

async function settings(ctx: CallContext): Promise<ApexRecord | undefined> {
  return (
    await query(
      ctx.session,
      'SELECT Id, Integration_User_Id__c, Eca_Policies_Confirmed__c FROM Tightknit_Settings__c LIMIT 1',
    )
  )[0];
}

async function saveSettings(ctx: CallContext, fields: ApexRecord): Promise<void> {
  const current = await settings(ctx);
  await save(ctx.session, 'Tightknit_Settings__c', current ? String(current.Id) : null, fields);
}

async function activeUser(ctx: CallContext, userId: string): Promise<ApexRecord | undefined> {
  return (
    await query(ctx.session, `SELECT ${USER_FIELDS} FROM User WHERE Id = ${quote(userId)} AND IsActive = true LIMIT 1`)
  )[0];
}

async function integrationSetId(ctx: CallContext): Promise<string | undefined> {
  const found = await query(
    ctx.session,
    `SELECT Id FROM PermissionSet WHERE Name = ${quote(INTEGRATION_PERMISSION_SET)} AND NamespacePrefix = ${quote(ctx.session.namespace)} LIMIT 1`,
  );
  return found[0] ? String(found[0].Id) : undefined;
}

async function hasAssignment(ctx: CallContext, userId: string, setId: string): Promise<boolean> {
  const found = await query(
    ctx.session,
    `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${quote(userId)} AND PermissionSetId = ${quote(setId)}`,
  );
  return found.length > 0;
}

/** TightknitSetupSelector.contactAccess: Read/Create on Contact through the user's permission sets and profile. */
export async function contactAccessOf(ctx: CallContext, userId: string | null): Promise<Dto<typeof ContactAccess>> {
  const access = { checked: false, canRead: false, canCreate: false, grantedBy: [] as string[] };
  if (!userId) return access;
  const assigned = await query(
    ctx.session,
    `SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${quote(userId)}`,
  );
  // The emulator's PermissionSet has no Profile relationship: a profile's own set is named by its label.
  const rows = await query(
    ctx.session,
    'SELECT PermissionsRead, PermissionsCreate, Parent.Label, Parent.IsOwnedByProfile FROM ObjectPermissions ' +
      `WHERE SobjectType = 'Contact' AND ParentId IN ${inList(assigned.map((a) => String(a.PermissionSetId)))}`,
  );
  access.checked = true;
  for (const p of rows) {
    access.canRead ||= p.PermissionsRead === true;
    access.canCreate ||= p.PermissionsCreate === true;
    const parent = p.Parent as ApexRecord | undefined;
    const name = str(parent?.Label) ?? '';
    if (p.PermissionsRead === true)
      access.grantedBy.push(parent?.IsOwnedByProfile === true ? `Profile: ${name}` : name);
  }
  return access;
}

/** The stored integration user's id (TightknitIntegrationUser.storedUserId), or null. */
export async function storedUserId(ctx: CallContext): Promise<string | null> {
  return str((await settings(ctx))?.Integration_User_Id__c) || null;
}

async function buildState(ctx: CallContext): Promise<Dto<typeof SetupState>> {
  const stored = await settings(ctx);
  const state: Dto<typeof SetupState> = {
    integrationUser: null,
    storedUserInactive: false,
    permissionSetAssigned: false,
    contactAccess: { checked: false, canRead: false, canCreate: false, grantedBy: [] },
    ecaPoliciesConfirmed: stored?.Eca_Policies_Confirmed__c === true,
    newUserUrl: '/lightning/setup/ManageUsers/page?address=%2F005%2Fe',
    permissionSetsUrl: '/lightning/setup/PermSets/home',
    externalClientAppsUrl: '/lightning/setup/ManageExternalClientApplication/home',
  };
  const storedId = str(stored?.Integration_User_Id__c);
  const user = storedId ? await activeUser(ctx, storedId) : undefined;
  if (!user) {
    state.storedUserInactive = !!storedId;
    return state;
  }
  state.integrationUser = userOption(user);
  const setId = await integrationSetId(ctx);
  state.permissionSetAssigned = !!setId && (await hasAssignment(ctx, String(user.Id), setId));
  state.contactAccess = await contactAccessOf(ctx, String(user.Id));
  return state;
}

async function requireActiveUser(ctx: CallContext, userId: string | null): Promise<ApexRecord> {
  const user = userId ? await activeUser(ctx, userId) : undefined;
  if (!user) throw new AuraHandledError(label('Setup_No_User_Error'));
  return user;
}

/** getSetupState. */
export const getSetupState = (ctx: CallContext): Promise<Dto<typeof SetupState>> => run(ctx, () => buildState(ctx));

/** searchUsers: active users whose name or username contains the term. */
export const searchUsers = (
  ctx: CallContext,
  p: { searchTerm: string | null },
): Promise<Array<Dto<typeof UserOption>>> =>
  run(ctx, async () => {
    const like = quote(`%${(p.searchTerm ?? '').trim()}%`);
    const users = await query(
      ctx.session,
      `SELECT ${USER_FIELDS} FROM User WHERE IsActive = true AND (Name LIKE ${like} OR Username LIKE ${like}) ORDER BY Name LIMIT 200`,
    );
    return users.map(userOption);
  });

/** assignIntegrationPermissionSet: idempotent. */
export const assignIntegrationPermissionSet = (
  ctx: CallContext,
  p: { userId: string | null },
): Promise<Dto<typeof AssignmentResult>> =>
  run(ctx, async () => {
    const user = await requireActiveUser(ctx, p.userId);
    const setId = await integrationSetId(ctx);
    if (!setId) throw new AuraHandledError(label('Setup_Not_Installed_Error'));
    const alreadyAssigned = await hasAssignment(ctx, String(user.Id), setId);
    if (!alreadyAssigned)
      await save(ctx.session, 'PermissionSetAssignment', null, { AssigneeId: user.Id, PermissionSetId: setId });
    return { alreadyAssigned, user: userOption(user) };
  });

/** rememberIntegrationUser. */
export const rememberIntegrationUser = (
  ctx: CallContext,
  p: { userId: string | null },
): Promise<Dto<typeof SetupState>> =>
  run(ctx, async () => {
    const user = await requireActiveUser(ctx, p.userId);
    await saveSettings(ctx, { Integration_User_Id__c: user.Id });
    return buildState(ctx);
  });

/** checkContactAccess. */
export const checkContactAccess = (ctx: CallContext): Promise<Dto<typeof ContactAccess>> =>
  run(ctx, async () => contactAccessOf(ctx, await storedUserId(ctx)));

/** confirmEcaPolicies. */
export const confirmEcaPolicies = (
  ctx: CallContext,
  p: { confirmed: boolean | null },
): Promise<Dto<typeof SetupState>> =>
  run(ctx, async () => {
    await saveSettings(ctx, { Eca_Policies_Confirmed__c: p.confirmed === true });
    return buildState(ctx);
  });
