import { rankedRows, windowFrom, windowOptions } from '../communitySummaryModel';
import topMembers from './data/topMembers.json';

describe('communitySummaryModel', () => {
  it('accepts only the supported windows', () => {
    expect(windowFrom('90')).toBe(90);
    expect(windowFrom(180)).toBe(180);
    expect(windowFrom('45')).toBe(30);
    expect(windowFrom(undefined)).toBe(30);
  });

  it('labels the window options', () => {
    expect(windowOptions('Last {0} days')).toEqual([
      { label: 'Last 30 days', value: '30' },
      { label: 'Last 90 days', value: '90' },
      { label: 'Last 180 days', value: '180' },
    ]);
  });

  it('gives each sparkline an accessible name with the totals', () => {
    const rows = rankedRows(topMembers.members, '{0}: {1} over {2} weeks, max {3}');
    expect(rows[0].sparkLabel).toBe('Ada Lovelace: 14 over 5 weeks, max 6');
    expect(rows[0].points.split(' ')).toHaveLength(5);
    expect(rankedRows([{ memberId: 'm1', rank: 1, activityCount: 0 }], '{0}')[0].displayName).toBe('m1');
  });
});
