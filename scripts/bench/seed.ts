import { engagementDefaults, type AsyncStoreWriter } from '../sync';

/** The benches' community: a Slack workspace `slack:T…` with only the fields the sync requires. */
export async function putBenchCommunity(w: AsyncStoreWriter, team: string, name: string): Promise<void> {
  const slackTeamId = team.replace(/^slack:/, '');
  await w.putCommunity({
    tightknitId: team,
    name,
    platform: 'Slack',
    slackTeamId,
    slackDomain: slackTeamId.replace(/^T/, '').toLowerCase(),
    slackUrl: null,
    logoUrl: null,
    studioUrl: null,
    description: null,
  });
}

/** Member i of the benches' community (Slack user U{i}), active since 2025, with the e-mail given. */
export async function putBenchMember(
  w: AsyncStoreWriter,
  team: string,
  i: number,
  fields: { email: string; title?: string | null; avatarUrl?: string | null },
): Promise<void> {
  await w.putMember({
    tightknitId: `${team}:U${i}`,
    communityId: team,
    name: `Member ${i}`,
    email: fields.email,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    title: fields.title ?? null,
    slackUserId: `U${i}`,
    avatarUrl: fields.avatarUrl ?? null,
    timeZone: 'Europe/Paris',
    status: 'Active',
    isBot: false,
    joinedAt: '2025-01-01T00:00:00.000Z',
    profileUrl: null,
    isPlaceholder: false,
  });
}

/** The community of `bench:push` (and of `bench:tenants`' large backfill, so both push the same data). */
const TEAM = 'slack:TBENCH';

/** Activity i of the benches' community: a message, or every fourth a reaction to another member. */
export function addBenchActivity(w: AsyncStoreWriter, i: number, members: number, now: Date): Promise<void> {
  return w.putActivity({
    tightknitId: `${TEAM}:C${i % 50}:${1700000000 + i}.000100`,
    communityId: TEAM,
    memberId: `${TEAM}:U${(i % members) + 1}`,
    targetMemberId: i % 4 === 0 ? `${TEAM}:U${((i * 7) % members) + 1}` : null,
    activityType: i % 4 === 0 ? 'reaction_added' : 'message_sent',
    sourceType: i % 4 === 0 ? 'reaction' : 'message',
    occurredAt: new Date(now.getTime() - (i % 200) * 86_400_000 - i).toISOString(),
    channelId: `C${i % 50}`,
    channelName: `channel-${i % 50}`,
    threadId: null,
    permalink: `https://bench.slack.com/archives/C${i % 50}/p${1700000000 + i}000100`,
    summary: i % 4 === 0 ? `Reacted :tada: in #channel-${i % 50}` : `Posted in #channel-${i % 50}`,
    metadata: null,
  });
}

/** Writes the benches' community (`members` members, `activities` activities) with `w` and commits. */
export async function writeBenchCommunity(
  w: AsyncStoreWriter,
  opts: { members: number; activities: number; now: Date },
): Promise<void> {
  await putBenchCommunity(w, TEAM, 'Bench');
  for (let i = 1; i <= opts.members; i++) {
    await putBenchMember(w, TEAM, i, {
      email: `member${i}@bench.example.com`,
      title: i % 3 === 0 ? 'Engineer' : null,
      avatarUrl: `https://avatars.example.com/${i}.png`,
    });
  }
  for (let i = 1; i <= opts.activities; i++) await addBenchActivity(w, i, opts.members, opts.now);
  await w.commit(opts.now, engagementDefaults());
}
