import { z } from 'zod';

/**
 * The `@AuraEnabled` surface of the Apex controllers the gallery's components call, as runtime schemas:
 * the stand-in's answers are parsed with them before they reach the page, and a test compares them with
 * the Apex classes (parsed by prettier-plugin-apex), so the stand-in cannot drift from the Apex.
 * Apex types map to JSON as Aura serializes them: Id, String, Datetime → string; Integer, Decimal → number.
 */

const names = new Map<z.ZodType, string>();

/** Registers the Apex name of a DTO class (`Outer.Inner`) for the drift test. */
function dto<T extends z.ZodRawShape>(apexName: string, shape: T): z.ZodObject<T> {
  const schema = z.object(shape);
  names.set(schema, apexName);
  return schema;
}

/** The Apex class a DTO schema stands for, e.g. `TightknitActivityRows.Row`. */
export function apexNameOf(schema: z.ZodType): string | undefined {
  return names.get(schema);
}

const id = z.string().nullable();
const str = z.string().nullable();
const int = z.number().int().nullable();
const dec = z.number().nullable();
const bool = z.boolean().nullable();
const datetime = z.string().nullable();

export const ActivityRow = dto('TightknitActivityRows.Row', {
  id,
  name: str,
  type: str,
  sourceType: str,
  occurredAt: datetime,
  summary: str,
  channelName: str,
  permalink: str,
  memberId: id,
  memberName: str,
  targetMemberId: id,
  targetMemberName: str,
  communityId: id,
  communityName: str,
});

export const ActivityPage = dto('TightknitActivityRows.Page', {
  rows: z.array(ActivityRow),
  pageNumber: int,
  pageSize: int,
  hasMore: bool,
});

export const ActivityDetail = dto('TightknitActivityInfoController.ActivityDetail', {
  activity: ActivityRow,
  channelId: str,
  threadId: str,
  metadata: str,
});

export const AccountMemberRow = dto('TightknitAccountActivitySummaryController.MemberRow', {
  memberId: id,
  memberName: str,
  contactId: id,
  contactName: str,
  communityId: id,
  communityName: str,
  activities30d: int,
  activities90d: int,
  activitiesAllTime: int,
  lastActiveAt: datetime,
  engagementLevel: str,
  engagementScore: dec,
});

export const AccountSummary = dto('TightknitAccountActivitySummaryController.Summary', {
  rows: z.array(AccountMemberRow),
  memberCount: int,
  contactCount: int,
  activities30d: int,
  activities90d: int,
  activitiesAllTime: int,
  lastActiveAt: datetime,
  truncated: bool,
  maxMembers: int,
});

export const RankedMember = dto('TightknitCommunityActivitySummaryController.RankedMember', {
  memberId: id,
  name: str,
  title: str,
  avatarUrl: str,
  engagementLevel: str,
  contactId: id,
  contactName: str,
  rank: int,
  activityCount: int,
  weekly: z.array(z.number().int()),
});

export const CommunitySummary = dto('TightknitCommunityActivitySummaryController.Summary', {
  windowDays: int,
  weeks: int,
  members: z.array(RankedMember),
});

export const Profile = dto('TightknitCommunityProfileController.Profile', {
  memberId: id,
  name: str,
  title: str,
  email: str,
  avatarUrl: str,
  communityId: id,
  communityName: str,
  communityLogoUrl: str,
  joinedAt: datetime,
  lastActiveAt: datetime,
  engagementLevel: str,
  activityCount: dec,
  linkStatus: str,
  linkedByLookup: bool,
});

export const CommunityTab = dto('TightknitContactActivityLogController.CommunityTab', {
  communityId: id,
  communityName: str,
  memberCount: int,
  activityCount: dec,
});

export const StudioLink = dto('TightknitViewInStudioController.StudioLink', {
  memberId: id,
  memberName: str,
  communityName: str,
  profileUrl: str,
  studioUrl: str,
  slackUserId: str,
});

export const MemberLink = dto('TightknitLinkContactController.MemberLink', {
  memberId: id,
  memberName: str,
  email: str,
  contactId: id,
  contactName: str,
  locked: bool,
  status: str,
});

export const UserOption = dto('TightknitSetupController.UserOption', {
  id,
  name: str,
  username: str,
  profileName: str,
  licenseName: str,
  apiOnly: bool,
});

export const ContactAccess = dto('TightknitSetupController.ContactAccess', {
  checked: bool,
  canRead: bool,
  canCreate: bool,
  grantedBy: z.array(z.string()),
});

export const SetupState = dto('TightknitSetupController.SetupState', {
  integrationUser: UserOption.nullable(),
  storedUserInactive: bool,
  permissionSetAssigned: bool,
  contactAccess: ContactAccess,
  ecaPoliciesConfirmed: bool,
  newUserUrl: str,
  permissionSetsUrl: str,
  externalClientAppsUrl: str,
});

export const AssignmentResult = dto('TightknitSetupController.AssignmentResult', {
  alreadyAssigned: bool,
  user: UserOption,
});

export const CheckResult = dto('TightknitHealthCheck.CheckResult', {
  key: str,
  title: str,
  status: str,
  detail: str,
  fixLabel: str,
  fixUrl: str,
});

/** One `@AuraEnabled` method: its parameters in declaration order, and what it returns. */
export interface MethodContract {
  params: z.ZodObject;
  returns: z.ZodType;
}

const method = <P extends z.ZodRawShape, R extends z.ZodType>(params: P, returns: R) => ({
  params: z.object(params),
  returns,
});

/** Every controller method the gallery's components import, by Apex class and method name. */
export const CONTRACT = {
  TightknitAccountActivitySummaryController: {
    getSummary: method({ accountId: id }, AccountSummary),
  },
  TightknitActivityInfoController: {
    getActivity: method({ activityId: id }, ActivityDetail.nullable()),
  },
  TightknitCommunityActivitySummaryController: {
    getTopMembers: method({ communityId: id, windowDays: int, maxMembers: int }, CommunitySummary),
  },
  TightknitCommunityProfileController: {
    getProfiles: method({ contactId: id }, z.array(Profile)),
  },
  TightknitContactActivityLogController: {
    getCommunities: method({ recordId: id }, z.array(CommunityTab)),
    getActivities: method({ recordId: id, communityId: id, pageNumber: int, pageSize: int }, ActivityPage),
  },
  TightknitMemberActivityLogController: {
    getActivities: method({ memberId: id, pageNumber: int, pageSize: int }, ActivityPage),
  },
  TightknitViewInStudioController: {
    getStudioLinks: method({ recordId: id }, z.array(StudioLink)),
  },
  TightknitLinkContactController: {
    getMemberLink: method({ memberId: id }, MemberLink),
    linkContact: method({ memberId: id, contactId: id }, MemberLink),
    unlockContactLink: method({ memberId: id }, MemberLink),
  },
  TightknitSetupController: {
    getSetupState: method({}, SetupState),
    searchUsers: method({ searchTerm: str }, z.array(UserOption)),
    assignIntegrationPermissionSet: method({ userId: id }, AssignmentResult),
    rememberIntegrationUser: method({ userId: id }, SetupState),
    checkContactAccess: method({}, ContactAccess),
    confirmEcaPolicies: method({ confirmed: bool }, SetupState),
  },
  TightknitHealthCheckController: {
    runHealthCheck: method({}, z.array(CheckResult)),
  },
} satisfies Record<string, Record<string, MethodContract>>;

export type ControllerName = keyof typeof CONTRACT;
/** The TypeScript shape of a DTO schema. */
export type Dto<S extends z.ZodType> = z.infer<S>;
