import { formatLabel } from 'c/tightknitLdsUtils';

/** TightknitCommunityProfileController.Profile. */
export type Profile = {
  memberId: string;
  name?: string;
  title?: string;
  email?: string;
  avatarUrl?: string;
  communityId?: string;
  communityName?: string;
  communityLogoUrl?: string;
  joinedAt?: string;
  lastActiveAt?: string;
  engagementLevel?: string;
  activityCount?: number;
  linkStatus?: string;
  linkedByLookup: boolean;
};

export type ProfileLabels = { linked: string; byEmail: string; avatar: string };

/**
 * Cards to show: linked profiles first, then email matches (unless hidden by the design property),
 * each with its avatar text and a label saying how it was matched.
 */
export function profileCards(profiles: readonly Profile[], hideEmailMatches: boolean, labels: ProfileLabels) {
  return profiles
    .filter((profile) => profile.linkedByLookup || !hideEmailMatches)
    .map((profile, index) => ({ profile, index }))
    .sort((a, b) => Number(b.profile.linkedByLookup) - Number(a.profile.linkedByLookup) || a.index - b.index)
    .map(({ profile }) => ({
      ...profile,
      displayName: profile.name || profile.email || profile.memberId,
      avatarAlt: formatLabel(labels.avatar, profile.name || profile.email || ''),
      matchLabel: profile.linkedByLookup ? labels.linked : labels.byEmail,
      hasLevel: !!profile.engagementLevel,
    }));
}
