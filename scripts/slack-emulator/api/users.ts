import { WorkspaceState } from '../state/workspace';
import { SlackUser } from '../types';
import { Args, decodeCursor, encodeCursor, limitArg } from './args';
import { SlackApiError } from './errors';

/** Above this many users a users.list without `limit` answers limit_required, as Slack does for large teams. */
const UNPAGED_MAX = 1000;

/** The user as a token sees it: `profile.email` only with users:read.email (docs.slack.dev, users.list "Email addresses"). */
function renderUser(u: SlackUser, scopes: ReadonlySet<string>): SlackUser {
  if (scopes.has('users:read.email') || u.profile.email === undefined) return u;
  const { email: _email, ...profile } = u.profile;
  return { ...u, profile };
}

export function usersList(ws: WorkspaceState, args: Args, scopes: ReadonlySet<string>): Record<string, unknown> {
  const total = ws.userCount;
  const unpaged = !args.limit || Number(args.limit) <= 0;
  if (unpaged && total > UNPAGED_MAX && !args.cursor) throw new SlackApiError('limit_required');
  const limit = unpaged ? total : limitArg(args, total, 1000);
  const after = decodeCursor(args, 'user');
  let start = 0;
  if (after !== undefined) {
    const pos = ws.userPosition(after);
    if (pos === undefined) throw new SlackApiError('invalid_cursor');
    start = pos;
  }
  const end = Math.min(total, start + limit);
  const members: SlackUser[] = [];
  for (let i = start; i < end; i++) members.push(renderUser(ws.userAt(i), scopes));
  return {
    members,
    cache_ts: Math.floor(Date.now() / 1000),
    response_metadata: { next_cursor: end < total ? encodeCursor('user', ws.userAt(end).id) : '' },
  };
}

export function usersInfo(ws: WorkspaceState, args: Args, scopes: ReadonlySet<string>): Record<string, unknown> {
  const u = ws.user(args.user ?? '');
  if (!u) throw new SlackApiError('user_not_found');
  return { user: renderUser(u, scopes) };
}
