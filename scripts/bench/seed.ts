import type { StoreWriter } from '../sync/store';

/** The benches' community: a Slack workspace `slack:T…` with only the fields the sync requires. */
export function putBenchCommunity(w: StoreWriter, team: string, name: string): void {
  const slackTeamId = team.replace(/^slack:/, '');
  w.putCommunity({
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
export function putBenchMember(
  w: StoreWriter,
  team: string,
  i: number,
  fields: { email: string; title?: string | null; avatarUrl?: string | null },
): void {
  w.putMember({
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
