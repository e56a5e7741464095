import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listOf, messagesOf } from './sources';
import type { ChannelFixture, SlackChannel, SlackMessage, SlackUser, WorkspaceFixture } from './types';

const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.json$/;

function readJson<T>(file: string, fallback: T): T {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : fallback;
}

/**
 * A workspace built from an unpacked Slack export folder (users.json, channels.json, groups.json and the
 * day files), so the emulated workspace is the one the export was taken from: same team, user, channel
 * and message ids. The `demo` uses it to continue the sample community live. Small exports only: every
 * message is read into memory.
 */
export function workspaceFromExport(dir: string, team: { name: string; domain: string }): WorkspaceFixture {
  const users = readJson<SlackUser[]>(join(dir, 'users.json'), []);
  const counts = new Map<string, number>();
  for (const u of users) counts.set(u.team_id, (counts.get(u.team_id) ?? 0) + 1);
  const teamId = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'T0EXPORT01';
  const lists: Array<{ file: string; isPrivate: boolean }> = [
    { file: 'channels.json', isPrivate: false },
    { file: 'groups.json', isPrivate: true },
  ];
  const channels: ChannelFixture[] = [];
  for (const { file, isPrivate } of lists) {
    for (const c of readJson<Array<Record<string, unknown>>>(join(dir, file), [])) {
      const name = String(c.name);
      const folder = join(dir, name);
      const messages: SlackMessage[] = [];
      if (existsSync(folder)) {
        for (const day of readdirSync(folder)
          .filter((f) => DAY_FILE.test(f))
          .sort())
          messages.push(...readJson<SlackMessage[]>(join(folder, day), []).filter((m) => typeof m.ts === 'string'));
      }
      const channel: SlackChannel = {
        id: String(c.id),
        name,
        is_channel: !isPrivate,
        is_group: isPrivate,
        is_private: isPrivate,
        is_archived: c.is_archived === true,
        is_general: c.is_general === true,
        created: Number(c.created ?? 0),
        creator: typeof c.creator === 'string' ? c.creator : '',
        num_members: Array.isArray(c.members) ? c.members.length : undefined,
      };
      channels.push({ channel, botMember: true, messages: messagesOf(messages) });
    }
  }
  return {
    team: { id: teamId, name: team.name, domain: team.domain },
    bot: { userId: 'U0EXPORTBOT', botId: 'B0EXPORTBOT', appId: 'A0EXPORTAPP', name: 'tightknit' },
    users: listOf(users),
    channels,
  };
}
