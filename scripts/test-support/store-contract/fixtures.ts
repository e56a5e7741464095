import { DEFAULT_ENGAGEMENT } from '../../sync/engagement';
import type { ActivityRow, AsyncStore, CommunityInput, MemberInput } from '../../sync/store';

/** The instant every write of the suite is committed at. */
export const NOW = new Date('2026-03-01T15:30:00.000Z');
export const ENGAGEMENT = DEFAULT_ENGAGEMENT;
const DAY = 86_400_000;

export function community(id = 'c', extra: Partial<CommunityInput> = {}): CommunityInput {
  return {
    tightknitId: id,
    name: 'Community',
    platform: 'Other',
    slackTeamId: null,
    slackDomain: null,
    slackUrl: null,
    logoUrl: null,
    studioUrl: null,
    description: null,
    ...extra,
  };
}

export function member(id: string, extra: Partial<MemberInput> = {}): MemberInput {
  return {
    tightknitId: id,
    communityId: 'c',
    name: id,
    email: null,
    firstName: null,
    lastName: null,
    title: null,
    slackUserId: null,
    avatarUrl: null,
    timeZone: null,
    status: 'Active',
    isBot: false,
    joinedAt: null,
    profileUrl: null,
    isPlaceholder: false,
    ...extra,
  };
}

export function activity(id: string, memberId: string, daysAgo: number, extra: Partial<ActivityRow> = {}): ActivityRow {
  return {
    tightknitId: id,
    communityId: 'c',
    memberId,
    targetMemberId: null,
    activityType: 'message_sent',
    sourceType: 'message',
    occurredAt: new Date(NOW.getTime() - daysAgo * DAY).toISOString(),
    channelId: null,
    channelName: null,
    threadId: null,
    permalink: null,
    summary: 'Posted',
    metadata: null,
    ...extra,
  };
}

/** One ingest: a community, members m1..mN and the given activities, committed at NOW. */
export async function ingest(store: AsyncStore, members: string[], activities: ActivityRow[]): Promise<void> {
  const w = await store.beginWrite();
  await w.putCommunity(community());
  for (const id of members) await w.putMember(member(id));
  for (const a of activities) await w.putActivity(a);
  await w.commit(NOW, ENGAGEMENT);
}

/** Every row's seq across the three kinds, read through the change pages. */
export async function allSeqs(store: AsyncStore): Promise<number[]> {
  const pages = await Promise.all([
    store.changedCommunities(0, 1000),
    store.changedMembers(0, 1000),
    store.changedActivities(0, 1000),
  ]);
  return pages.flat().map((r) => r.seq);
}
