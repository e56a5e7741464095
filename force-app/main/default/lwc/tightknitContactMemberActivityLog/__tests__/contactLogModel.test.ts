import { pickCommunity } from '../contactLogModel';

const tabs = [
  { communityId: 'c1', communityName: 'Builders', memberCount: 1, activityCount: 3 },
  { communityId: 'c2', communityName: 'Founders', memberCount: 1, activityCount: 1 },
];

describe('pickCommunity', () => {
  it('keeps the current tab while it exists', () => {
    expect(pickCommunity(tabs, 'c2')).toBe('c2');
  });

  it('falls back to the first tab, or nothing when there are no tabs', () => {
    expect(pickCommunity(tabs, 'gone')).toBe('c1');
    expect(pickCommunity(tabs, undefined)).toBe('c1');
    expect(pickCommunity([], 'c1')).toBeUndefined();
  });
});
