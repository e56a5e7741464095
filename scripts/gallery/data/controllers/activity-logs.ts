import type { ActivityDetail, ActivityPage, CommunityTab, Dto } from '../contract';
import { num, objectOf, offset, pageSize, rel, requireRecordId, str, type CallContext } from '../aura';
import { activityById, membersForPerson, pageForMembers, toPage, toRow, visiblePerson } from '../selectors';
import type { ApexRecord } from '../soql';

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 50;

/** TightknitMemberActivityLogController.getActivities. */
export async function memberActivities(
  ctx: CallContext,
  p: { memberId: string | null; pageNumber: number | null; pageSize: number | null },
): Promise<Dto<typeof ActivityPage>> {
  const memberId = await requireRecordId(ctx, p.memberId, ['Member__c']);
  const size = pageSize(p.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const skip = offset(p.pageNumber, size);
  return toPage(await pageForMembers(ctx, new Set([memberId]), size, skip), p.pageNumber, size);
}

/** TightknitActivityInfoController.getActivity. */
export async function activityDetail(
  ctx: CallContext,
  p: { activityId: string | null },
): Promise<Dto<typeof ActivityDetail> | null> {
  const activityId = await requireRecordId(ctx, p.activityId, ['Activity__c']);
  const record = await activityById(ctx, activityId);
  if (!record) return null;
  return {
    activity: toRow(record),
    channelId: str(record.Channel_Id__c),
    threadId: str(record.Thread_Id__c),
    metadata: str(record.Metadata__c),
  };
}

async function membersOf(ctx: CallContext, recordId: string): Promise<ApexRecord[]> {
  const object = (await objectOf(ctx, recordId)) === 'Lead' ? 'Lead' : 'Contact';
  const person = await visiblePerson(ctx, recordId, object);
  return person ? membersForPerson(ctx, recordId, str(person.Email)) : [];
}

/** TightknitContactActivityLogController.getCommunities: one tab per community, most recent first. */
export async function personCommunities(
  ctx: CallContext,
  p: { recordId: string | null },
): Promise<Array<Dto<typeof CommunityTab>>> {
  const recordId = await requireRecordId(ctx, p.recordId, ['Contact', 'Lead']);
  const tabs = new Map<string, Dto<typeof CommunityTab>>();
  for (const member of await membersOf(ctx, recordId)) {
    const communityId = String(member.Community__c);
    const tab = tabs.get(communityId) ?? {
      communityId,
      communityName: str(rel(member, 'Community__r')?.Name),
      memberCount: 0,
      activityCount: 0,
    };
    tab.memberCount = (tab.memberCount ?? 0) + 1;
    tab.activityCount = (tab.activityCount ?? 0) + (num(member.Activity_Count__c) ?? 0);
    tabs.set(communityId, tab);
  }
  return [...tabs.values()];
}

/** TightknitContactActivityLogController.getActivities: a page of the person's activities in one community. */
export async function personActivities(
  ctx: CallContext,
  p: { recordId: string | null; communityId: string | null; pageNumber: number | null; pageSize: number | null },
): Promise<Dto<typeof ActivityPage>> {
  const recordId = await requireRecordId(ctx, p.recordId, ['Contact', 'Lead']);
  const communityId = await requireRecordId(ctx, p.communityId, ['Community__c']);
  const size = pageSize(p.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const skip = offset(p.pageNumber, size);
  const memberIds = new Set(
    (await membersOf(ctx, recordId)).filter((m) => m.Community__c === communityId).map((m) => String(m.Id)),
  );
  if (memberIds.size === 0) return toPage([], p.pageNumber, size);
  return toPage(await pageForMembers(ctx, memberIds, size, skip), p.pageNumber, size);
}
