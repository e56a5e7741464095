import type { AsyncStore, AsyncStoreWriter, KindCounts } from '../../../store';
import { readSlackUser, text, toMember } from '../export/users';
import { list, type SlackApi, type SlackResult } from './api';
import type { AsyncSlackCursors } from '../../../store';
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
export async function readTeam(api: SlackApi, store: AsyncStore, commit: CommitFn): Promise<Workspace> {
  const team = obj((await api.call('team.info', {})).team);
  const teamId = text(team.id);
  if (!teamId) throw new SlackApiError('team.info answered without a team id', 'team.info');
  const communityId = `slack:${teamId}`;
  const domain = text(team.domain);
  const icon = obj(team.icon);
  const logo =
    icon.image_default === true ? null : (text(icon.image_230) ?? text(icon.image_original) ?? text(icon.image_132));
  const url = text(team.url)?.replace(/\/$/, '') ?? (domain ? `https://${domain}.slack.com` : null);
  await commit(async (writer) => {
    const existing = (await writer.getCommunity(communityId))?.row;
    await writer.putCommunity({
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
  return { teamId, communityId, domain: domain ?? (await store.getCommunity(communityId))?.row.slackDomain ?? null };
}

/** Runs `write` in a write transaction of its own and commits it. */
export type CommitFn = (write: (writer: AsyncStoreWriter) => Promise<void>) => Promise<void>;

/** users.list, page by page, each page in its own transaction: members with the export's mapping, bot ids. */
export async function readUsers(
  api: SlackApi,
  ws: Workspace,
  commit: CommitFn,
  onPage: (users: number) => void,
): Promise<void> {
  for await (const page of api.pages('users.list', { limit: 200 })) {
    const users = list(page, 'members');
    await commit(async (writer) => {
      for (const raw of users) {
        const u = readSlackUser(raw);
        if (!u) continue;
        await writer.putMember(toMember(u, ws.teamId, ws.communityId));
        if (u.botId) await writer.slackCursors.putBot(ws.communityId, u.botId, u.id);
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
  cursors: AsyncSlackCursors,
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
      await cursors.putChannel(ws.communityId, id, text(c.name), isPrivate ? 'private' : 'public');
    }
  }
}

export function addCounts(into: KindCounts, add: KindCounts): void {
  into.new += add.new;
  into.changed += add.changed;
  into.unchanged += add.unchanged;
}
