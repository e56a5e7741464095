import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../../org-emulator';
import { connect } from '../../connection/connect';

export const KEYS = {
  env: { TIGHTKNIT_ENCRYPTION_KEY: randomBytes(32).toString('base64') } as NodeJS.ProcessEnv,
  keychain: null,
};

export function tempDir(prefix = 'tightknit-ops-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

const PEOPLE = [
  'Ada Lovelace',
  'Grace Hopper',
  'Alan Turing',
  'Katherine Johnson',
  'Linus Torvalds',
  'Margaret Hamilton',
  'Dennis Ritchie',
  'Barbara Liskov',
];

/** A small NDJSON community: one community, eight members, `activities` activities spread over weeks. */
export function writeCommunityFeed(dir: string, activities = 60, now = Date.now()): string {
  const lines: object[] = [
    {
      type: 'community.created',
      community: { id: 'slack:T1', name: 'Acme Community', platform: 'Slack', slack_team_id: 'T1' },
    },
  ];
  PEOPLE.forEach((name, i) => {
    const [first, last] = name.split(' ');
    lines.push({
      type: 'member.created',
      community_id: 'slack:T1',
      member: {
        id: `slack:T1:U${i}`,
        name,
        email: `${first.toLowerCase()}@example.com`,
        first_name: first,
        last_name: last,
      },
    });
  });
  const types = ['slack_message.created', 'post.created', 'slack_reaction.added', 'calendar_event.user_attended'];
  for (let k = 0; k < activities; k++) {
    lines.push({
      type: types[k % types.length],
      id: `slack:T1:C1:${k}`,
      community_id: 'slack:T1',
      member_id: `slack:T1:U${k % PEOPLE.length}`,
      occurred_at: new Date(now - k * 7 * 3_600_000).toISOString(),
      channel_id: 'C1',
      channel_name: 'general',
      summary: `Activity ${k}`,
    });
  }
  const file = join(dir, 'community.ndjson');
  writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return file;
}

/** Connects a state directory to the emulator with client credentials. */
export async function connectToEmulator(stateDir: string, emu: RunningEmulator): Promise<void> {
  await connect({
    stateDir,
    ...KEYS,
    method: 'client-credentials',
    loginUrl: emu.loginUrl,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
  });
}

export const FAST = { poll: { initialMs: 20, maxMs: 100, timeoutMs: 30_000 } };
