import type { z } from 'zod';
import { CONTRACT, type ControllerName } from './contract';
import type { CallContext } from './aura';
import { activityDetail, memberActivities, personActivities, personCommunities } from './controllers/activity-logs';
import { accountSummary, communityTopMembers } from './controllers/summaries';
import { contactProfiles, linkContact, memberLink, studioLinks, unlockContactLink } from './controllers/people';
import * as setup from './controllers/setup';
import { runHealthCheck } from './controllers/health';

type Contract = typeof CONTRACT;
type Handlers = {
  [C in ControllerName]: {
    [M in keyof Contract[C]]: Contract[C][M] extends {
      params: infer P extends z.ZodType;
      returns: infer R extends z.ZodType;
    }
      ? (ctx: CallContext, params: z.infer<P>) => Promise<z.infer<R>>
      : never;
  };
};

/** The stand-in of every `@AuraEnabled` method in {@link CONTRACT}. */
const HANDLERS: Handlers = {
  TightknitAccountActivitySummaryController: { getSummary: accountSummary },
  TightknitActivityInfoController: { getActivity: activityDetail },
  TightknitCommunityActivitySummaryController: { getTopMembers: communityTopMembers },
  TightknitCommunityProfileController: { getProfiles: contactProfiles },
  TightknitContactActivityLogController: { getCommunities: personCommunities, getActivities: personActivities },
  TightknitMemberActivityLogController: { getActivities: memberActivities },
  TightknitViewInStudioController: { getStudioLinks: studioLinks },
  TightknitLinkContactController: { getMemberLink: memberLink, linkContact, unlockContactLink },
  TightknitSetupController: {
    getSetupState: setup.getSetupState,
    searchUsers: setup.searchUsers,
    assignIntegrationPermissionSet: setup.assignIntegrationPermissionSet,
    rememberIntegrationUser: setup.rememberIntegrationUser,
    checkContactAccess: setup.checkContactAccess,
    confirmEcaPolicies: setup.confirmEcaPolicies,
  },
  TightknitHealthCheckController: { runHealthCheck },
};

/** A call the stand-in has no method for (a component imports an Apex method the gallery does not know). */
class UnknownApexMethod extends Error {}

/**
 * Calls the stand-in of `Class.method` as Aura would: parameters the component did not pass arrive as
 * null, and the answer must parse as the Apex DTO (a stand-in that drifts fails here, not in the page).
 */
export async function callApex(
  ctx: CallContext,
  className: string,
  methodName: string,
  raw: Record<string, unknown>,
): Promise<unknown> {
  const methods = (CONTRACT as Record<string, Record<string, { params: z.ZodObject; returns: z.ZodType }>>)[className];
  const spec = methods?.[methodName];
  if (!spec)
    throw new UnknownApexMethod(
      `The gallery has no stand-in for ${className}.${methodName}; add it to scripts/gallery/data/contract.ts.`,
    );
  const params = spec.params.parse(Object.fromEntries(Object.keys(spec.params.shape).map((k) => [k, raw[k] ?? null])));
  const handler = (
    HANDLERS as unknown as Record<string, Record<string, (c: CallContext, p: unknown) => Promise<unknown>>>
  )[className][methodName];
  return spec.returns.parse(await handler(ctx, params));
}
