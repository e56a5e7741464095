import { initialSort, sortSummaryRows, summaryColumns, totalsText } from '../accountSummaryModel';
import summary from './data/summary.json';

const labels = {
  contact: 'Contact',
  community: 'Community',
  last30: '30 days',
  last90: '90 days',
  allTime: 'All time',
  lastActive: 'Last active',
  level: 'Engagement',
};

describe('accountSummaryModel', () => {
  it('shows every column in a wide region and three in a sidebar', () => {
    expect(summaryColumns(labels, 'LARGE')).toHaveLength(7);
    expect(summaryColumns(labels, 'SMALL').map((column) => column.fieldName)).toEqual([
      'contactName',
      'activities90d',
      'lastActiveAt',
    ]);
  });

  it('sorts engagement levels by meaning', () => {
    const sorted = sortSummaryRows(summary.rows, { fieldName: 'engagementLevel', direction: 'desc' });
    expect(sorted.map((row) => row.engagementLevel)).toEqual(['Champion', 'High']);
  });

  it('sorts counts numerically', () => {
    const sorted = sortSummaryRows(summary.rows, { fieldName: 'activities30d', direction: 'desc' });
    expect(sorted.map((row) => row.contactName)).toEqual(['Ada Lovelace', 'Grace Hopper']);
  });

  it('falls back to 90-day activity, descending, for an unknown design value', () => {
    expect(initialSort('bogus')).toEqual({ fieldName: 'activities90d', direction: 'desc' });
    expect(initialSort('contactName')).toEqual({ fieldName: 'contactName', direction: 'asc' });
  });

  it('fills the totals label', () => {
    expect(totalsText(summary, '{0} members, {1}/{2}/{3}')).toBe('2 members, 6/20/50');
  });
});
