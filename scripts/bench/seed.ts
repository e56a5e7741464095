import type { AsyncStoreWriter } from '../sync';

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
