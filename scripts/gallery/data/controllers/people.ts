import type { Dto, MemberLink, Profile, StudioLink } from '../contract';
import { AuraHandledError, datetime, num, objectOf, rel, requireRecordId, str, type CallContext } from '../aura';
import { memberForStudioLink, membersForPerson, visiblePerson } from '../selectors';
import { label } from '../../labels';
import { query, quote, save, QueryException, type ApexRecord } from '../soql';

/** TightknitCommunityProfileController.getProfiles: the Contact's community profiles. */
export async function contactProfiles(
  ctx: CallContext,
  p: { contactId: string | null },
): Promise<Array<Dto<typeof Profile>>> {
  const contactId = await requireRecordId(ctx, p.contactId, ['Contact']);
  const person = await visiblePerson(ctx, contactId, 'Contact');
  if (!person) return [];
  return (await membersForPerson(ctx, contactId, str(person.Email))).map((m) => ({
    memberId: str(m.Id),
    name: str(m.Name),
    title: str(m.Title__c),
    email: str(m.Email__c),
    avatarUrl: str(m.Avatar_Url__c),
    communityId: str(m.Community__c),
    communityName: str(rel(m, 'Community__r')?.Name),
    communityLogoUrl: str(rel(m, 'Community__r')?.Logo_Url__c),
    joinedAt: datetime(m.Joined_At__c),
    lastActiveAt: datetime(m.Last_Active_At__c),
    engagementLevel: str(m.Engagement_Level__c),
    activityCount: num(m.Activity_Count__c),
    linkStatus: str(m.Contact_Link_Status__c),
    linkedByLookup: m.Contact__c === contactId,
  }));
}

function toLink(m: ApexRecord): Dto<typeof StudioLink> {
  return {
    memberId: str(m.Id),
    memberName: str(m.Name),
    communityName: str(rel(m, 'Community__r')?.Name),
    profileUrl: str(m.Profile_Url__c),
    studioUrl: str(rel(m, 'Community__r')?.Studio_Url__c),
    slackUserId: str(m.Slack_User_Id__c),
  };
}

/** TightknitViewInStudioController.getStudioLinks: for a Member page, or each member of a Contact. */
export async function studioLinks(
  ctx: CallContext,
  p: { recordId: string | null },
): Promise<Array<Dto<typeof StudioLink>>> {
  const recordId = await requireRecordId(ctx, p.recordId, ['Member__c', 'Contact']);
  if ((await objectOf(ctx, recordId)) === 'Member__c') {
    const member = await memberForStudioLink(ctx, recordId);
    return member ? [toLink(member)] : [];
  }
  const person = await visiblePerson(ctx, recordId, 'Contact');
  if (!person) return [];
  return (await membersForPerson(ctx, recordId, str(person.Email))).map(toLink);
}

/** TightknitLinkContactController.readLink; every failure reaches the component as its message. */
export async function memberLink(ctx: CallContext, p: { memberId: string | null }): Promise<Dto<typeof MemberLink>> {
  let found: ApexRecord[];
  try {
    found = await query(
      ctx.session,
      'SELECT Id, Name, Email__c, Contact__c, Contact__r.Name, Contact_Link_Locked__c, Contact_Link_Status__c ' +
        `FROM Member__c WHERE Id = ${quote(p.memberId ?? '')} LIMIT 1`,
    );
  } catch (e) {
    if (e instanceof QueryException) throw new AuraHandledError(e.message);
    throw e;
  }
  const m = found[0];
  if (!m) throw new AuraHandledError(label('Setup_Link_Not_Found'));
  return {
    memberId: str(m.Id),
    memberName: str(m.Name),
    email: str(m.Email__c),
    contactId: str(m.Contact__c),
    contactName: str(rel(m, 'Contact__r')?.Name),
    locked: m.Contact_Link_Locked__c === true,
    status: str(m.Contact_Link_Status__c),
  };
}

/** linkContact: saves the lookup as the user; what the Member trigger does for a person's change comes with it. */
export async function linkContact(
  ctx: CallContext,
  p: { memberId: string | null; contactId: string | null },
): Promise<Dto<typeof MemberLink>> {
  await memberLink(ctx, p);
  // TightknitMemberTriggerHandler locks a link a person makes and marks it Manual; the emulator runs no triggers.
  await saveAsUser(ctx, String(p.memberId), {
    Contact__c: p.contactId,
    Contact_Link_Locked__c: p.contactId !== null,
    ...(p.contactId ? { Contact_Link_Status__c: 'Manual' } : {}),
  });
  return memberLink(ctx, p);
}

/** unlockContactLink: hands the link back to the sync's email matching. */
export async function unlockContactLink(
  ctx: CallContext,
  p: { memberId: string | null },
): Promise<Dto<typeof MemberLink>> {
  await memberLink(ctx, p);
  await saveAsUser(ctx, String(p.memberId), { Contact_Link_Locked__c: false });
  return memberLink(ctx, p);
}

async function saveAsUser(ctx: CallContext, memberId: string, fields: ApexRecord): Promise<void> {
  try {
    await save(ctx.session, 'Member__c', memberId, fields);
  } catch (e) {
    if (e instanceof QueryException) throw new AuraHandledError(e.message);
    throw e;
  }
}
