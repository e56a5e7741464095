import { formatLabel } from 'c/tightknitLdsUtils';

/** TightknitViewInStudioController.StudioLink. */
export type StudioLink = {
  memberId: string;
  memberName?: string;
  communityName?: string;
  profileUrl?: string;
  studioUrl?: string;
  slackUserId?: string;
};

/** Only absolute http(s) URLs are ever opened; anything else (javascript:, relative, junk) is refused. */
export function isSafeWebUrl(value: string | null | undefined): boolean {
  if (!value) {
    return false;
  }
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The member's page in the Tightknit admin studio. Rule: the member's Profile_Url__c when it is set;
 * otherwise the community's Studio_Url__c (trailing slashes removed) + '/members/' + the member's Slack
 * user id; otherwise null (no link can be built).
 */
export function studioUrlFor(link: StudioLink): string | null {
  if (isSafeWebUrl(link.profileUrl)) {
    return link.profileUrl as string;
  }
  if (isSafeWebUrl(link.studioUrl) && link.slackUserId) {
    const base = (link.studioUrl as string).replace(/\/+$/, '');
    return `${base}/members/${encodeURIComponent(link.slackUserId)}`;
  }
  return null;
}

export type StudioButton = { memberId: string; url: string; label: string; title: string };

/**
 * One button per member with a buildable link. A single button carries the plain label; several are
 * told apart by community ("View in Tightknit (Builders)").
 */
export function studioButtons(links: readonly StudioLink[], label: string, labelWithCommunity: string): StudioButton[] {
  const usable = links
    .map((link) => ({ link, url: studioUrlFor(link) }))
    .filter((entry): entry is { link: StudioLink; url: string } => entry.url !== null);
  return usable.map(({ link, url }) => {
    const text = usable.length > 1 ? formatLabel(labelWithCommunity, link.communityName || link.memberName) : label;
    return { memberId: link.memberId, url, label: text, title: `${text}: ${link.memberName ?? ''}`.trim() };
  });
}
