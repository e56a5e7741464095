import type { KindCounts, Store } from '../../store';
import { readSlackUser, text, toMember } from '../slack/users';
import { list, type SlackApi, type SlackResult } from './api';
import type { SlackCursors } from '../../store';
import { SlackApiError } from './errors';

export interface Workspace {
  teamId: string;
  communityId: string;
  domain: string | null;
}

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** team.info → the community (name, domain, URL, icon as logo); Studio URL and description are kept. */
export async function readTeam(api: SlackApi, store: Store, commit: CommitFn): Promise<Workspace> {
  const team = obj((await api.call('team.info', {})).team);
  const teamId = text(team.id);
  if (!teamId) throw new SlackApiError('team.info answered without a team id', 'team.info');
  const communityId = `slack:${teamId}`;
  const domain = text(team.domain);
  const icon = obj(team.icon);
  const logo =
    icon.image_default === true ? null : (text(icon.image_230) ?? text(icon.image_original) ?? text(icon.image_132));
  const url = text(team.url)?.replace(/\/$/, '') ?? (domain ? `https://${domain}.slack.com` : null);
  commit((writer) => {
    const existing = writer.getCommunity(communityId)?.row;
    writer.putCommunity({
      tightknitId: communityId,
      name: text(team.name) ?? existing?.name ?? teamId,
      platform: 'Slack',
      slackTeamId: teamId,
      slackDomain: domain ?? existing?.slackDomain ?? null,
      slackUrl: url ?? existing?.slackUrl ?? null,
      logoUrl: logo ?? existing?.logoUrl ?? null,
      studioUrl: existing?.studioUrl ?? null,
      description: existing?.description ?? null,
    });
  });
  return { teamId, communityId, domain: domain ?? store.getCommunity(communityId)?.row.slackDomain ?? null };
}

export type CommitFn = (write: (writer: ReturnType<Store['beginWrite']>) => void) => void;

/** users.list, page by page, each page in its own transaction: members with the export's mapping, bot ids. */
export async function readUsers(
  api: SlackApi,
  ws: Workspace,
  cursors: SlackCursors,
  commit: CommitFn,
  onPage: (users: number) => void,
): Promise<void> {
  for await (const page of api.pages('users.list', { limit: 200 })) {
    const users = list(page, 'members');
    commit((writer) => {
      for (const raw of users) {
        const u = readSlackUser(raw);
        if (!u) continue;
        writer.putMember(toMember(u, ws.teamId, ws.communityId));
        if (u.botId) cursors.putBot(ws.communityId, u.botId, u.id);
      }
    });
    onPage(users.length);
  }
}

/**
 * conversations.list: public channels, and private ones only when asked and the bot is a member
 * (a private channel the bot is not in cannot be read). Archived channels are left out.
 */
export async function readChannels(
  api: SlackApi,
  ws: Workspace,
  cursors: SlackCursors,
  includePrivate: boolean,
): Promise<void> {
  const types = includePrivate ? 'public_channel,private_channel' : 'public_channel';
  for await (const page of api.pages('conversations.list', { types, exclude_archived: true, limit: 200 })) {
    for (const raw of list(page, 'channels')) {
      const c: SlackResult = obj(raw);
      const id = text(c.id);
      if (!id) continue;
      const isPrivate = c.is_private === true || c.is_group === true;
      if (isPrivate && (!includePrivate || c.is_member !== true)) continue;
      cursors.putChannel(ws.communityId, id, text(c.name), isPrivate ? 'private' : 'public');
    }
  }
}

export function addCounts(into: KindCounts, add: KindCounts): void {
  into.new += add.new;
  into.changed += add.changed;
  into.unchanged += add.unchanged;
}
