import { parseRoute, runHref } from 'tk/router';

describe('tk/router', () => {
  it.each([
    ['', { page: 'setup' }],
    ['#/setup', { page: 'setup' }],
    ['#/history', { page: 'history' }],
    ['#/runs/12', { page: 'run', runId: 12 }],
    ['#/runs/abc', { page: 'setup' }],
    ['#/elsewhere', { page: 'setup' }],
  ])('%p → %p', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('builds run links that parse back', () => {
    expect(parseRoute(runHref(7))).toEqual({ page: 'run', runId: 7 });
  });
});
