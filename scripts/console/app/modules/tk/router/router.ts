/** Hash routes: `#/setup` (default), `#/history`, `#/runs/<id>`. */

export type Route = { page: 'setup' } | { page: 'history' } | { page: 'run'; runId: number };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '/history') return { page: 'history' };
  const run = /^\/runs\/(\d+)$/.exec(path);
  if (run) return { page: 'run', runId: Number(run[1]) };
  return { page: 'setup' };
}

export const SETUP_HREF = '#/setup';
export const HISTORY_HREF = '#/history';

export function runHref(runId: number): string {
  return `#/runs/${runId}`;
}
