/** A community tab as TightknitContactActivityLogController.getCommunities returns it. */
export type CommunityTab = {
  communityId: string;
  communityName: string;
  memberCount: number;
  activityCount: number;
};

/**
 * The community tab to show: keeps the current one while it still exists, otherwise the first tab
 * (the controller orders tabs by most recent member activity).
 */
export function pickCommunity(tabs: readonly CommunityTab[], current: string | undefined): string | undefined {
  if (current && tabs.some((tab) => tab.communityId === current)) {
    return current;
  }
  return tabs.length > 0 ? tabs[0].communityId : undefined;
}
