import {
  activityColumns,
  activityTableRows,
  clampPageSize,
  levelRank,
  pagerState,
  sortRows,
  toActivityTableRow,
} from 'c/tightknitTableUtils';

const rows = [
  { name: 'beta', count: 3, level: 'Low' },
  { name: 'Alpha', count: 10, level: 'Champion' },
  { name: '', count: 1, level: null },
  { name: 'gamma', count: 3, level: 'High' },
];

describe('sortRows', () => {
  it('sorts text case-insensitively and puts empty values last in both directions', () => {
    expect(sortRows(rows, { fieldName: 'name', direction: 'asc' }).map((r) => r.name)).toEqual([
      'Alpha',
      'beta',
      'gamma',
      '',
    ]);
    expect(sortRows(rows, { fieldName: 'name', direction: 'desc' }).map((r) => r.name)).toEqual([
      'gamma',
      'beta',
      'Alpha',
      '',
    ]);
  });

  it('sorts numbers numerically and keeps ties in their original order', () => {
    expect(sortRows(rows, { fieldName: 'count', direction: 'desc' }).map((r) => r.name)).toEqual([
      'Alpha',
      'beta',
      'gamma',
      '',
    ]);
  });

  it('sorts by a derived key such as the engagement level rank', () => {
    const sorted = sortRows(rows, { fieldName: 'level', direction: 'desc' }, (row) => levelRank(row.level));
    expect(sorted.map((r) => r.level)).toEqual(['Champion', 'High', 'Low', null]);
  });

  it('does not modify its input', () => {
    const copy = [...rows];
    sortRows(rows, { fieldName: 'count', direction: 'asc' });
    expect(rows).toEqual(copy);
  });
});

describe('levelRank', () => {
  it('ranks Champion highest and unknown levels below None', () => {
    expect(levelRank('Champion')).toBeGreaterThan(levelRank('High'));
    expect(levelRank('None')).toBeGreaterThan(levelRank('Whatever'));
    expect(levelRank(undefined)).toBe(-1);
  });
});

describe('pagerState', () => {
  it('hides the pager when everything fits on the first page', () => {
    expect(pagerState(1, false)).toEqual({ pageNumber: 1, canGoBack: false, canGoForward: false, isVisible: false });
  });

  it('allows moving back and forward in the middle', () => {
    expect(pagerState(2, true)).toEqual({ pageNumber: 2, canGoBack: true, canGoForward: true, isVisible: true });
  });

  it('treats junk page numbers as page 1', () => {
    expect(pagerState(0, true).pageNumber).toBe(1);
    expect(pagerState(Number.NaN, false).pageNumber).toBe(1);
  });
});

describe('clampPageSize', () => {
  it('parses design-property strings and clamps to the maximum', () => {
    expect(clampPageSize('25', 10)).toBe(25);
    expect(clampPageSize(500, 10)).toBe(50);
    expect(clampPageSize('abc', 10)).toBe(10);
    expect(clampPageSize(0, 10)).toBe(10);
    expect(clampPageSize(undefined, 10)).toBe(10);
  });
});

describe('toActivityTableRow', () => {
  it('adds the channel with a hash and the View label', () => {
    expect(toActivityTableRow({ id: 'a1', channelName: 'general' }, 'View')).toMatchObject({
      channel: '#general',
      viewLabel: 'View',
    });
    expect(toActivityTableRow({ id: 'a2' }, 'View').channel).toBe('');
  });
});

describe('activity table', () => {
  const labels = { occurred: 'When', type: 'Type', summary: 'Summary', channel: 'Channel', view: 'View' };

  it('labels every column and makes the View column a named button', () => {
    const columns = activityColumns(labels);
    expect(columns.every((column) => column.label.length > 0)).toBe(true);
    expect(columns[columns.length - 1]).toMatchObject({ type: 'button', typeAttributes: { name: 'view' } });
  });

  it('keeps When, Summary and View in a narrow sidebar', () => {
    expect(activityColumns(labels, 'SMALL').map((column) => column.label)).toEqual(['When', 'Summary', 'View']);
  });

  it('builds sorted rows with a View title per activity', () => {
    const tableRows = activityTableRows(
      [
        { id: '1', name: 'ACT-1', type: 'Thread Reply' },
        { id: '2', name: 'ACT-2', type: 'Message Sent' },
      ],
      { fieldName: 'type', direction: 'asc' },
      'View',
    );
    expect(tableRows.map((row) => row.id)).toEqual(['2', '1']);
    expect(tableRows[0].viewTitle).toBe('View ACT-2');
  });
});
