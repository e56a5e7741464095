import { tsKey } from './ts';
import { ChannelFixture, Lazy, MessageSource, SlackMessage, SlackUser, WorkspaceFixture } from './types';

/**
 * A deterministic workspace of any size for benchmarks: every user and message is a pure function of
 * (seed, position), computed when asked for, so a million messages cost no memory until served.
 *
 * Each channel's messages come in blocks of ten: one thread parent with three replies, six plain
 * top-level messages (some with reactions, some joins or bot messages). Top-level messages are spaced
 * evenly between 2023-11-14 and 2026-01-01; replies follow their parent by 1-3 seconds.
 */
export function generateWorkspace(opts: {
  members: number;
  channels: number;
  messages: number;
  seed?: number;
}): WorkspaceFixture {
  const seed = opts.seed ?? 1;
  const members = Math.max(1, Math.floor(opts.members));
  const channelCount = Math.max(1, Math.floor(opts.channels));
  const teamId = `T0GEN${String(seed % 100000).padStart(5, '0')}`;
  const bot = { userId: 'U0GENBOT00', botId: 'B0GENBOT00', appId: 'A0GENAPP00', name: 'tightknit' };
  const users = generatedUsers(seed, teamId, members, bot);
  const sizes = channelSizes(seed, channelCount, Math.max(0, Math.floor(opts.messages)));
  const channels: ChannelFixture[] = sizes.map((n, c) => generatedChannel(seed, c, n, members, bot.userId));
  return {
    team: { id: teamId, name: `Generated ${seed}`, domain: `generated-${seed}`, email_domain: 'example.com' },
    bot,
    users,
    channels,
  };
}

/** A 32-bit hash of integers (xorshift-multiply), the source of every "random" choice. */
function mix(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

const userId = (k: number): string => `U${k.toString(36).toUpperCase().padStart(9, '0')}`;
const FIRST = ['Ada', 'Bea', 'Chen', 'Dara', 'Émile', 'Farah', 'Goran', 'Hana', 'Iñaki', 'Jun', 'Kofi', 'Lena'];
const LAST = ['Abara', 'Berg', 'Costa', 'Dubois', 'Eriksen', 'Fujita', 'García', 'Haddad', 'Ivanova', 'Jensen'];

function generatedUsers(seed: number, teamId: string, members: number, bot: WorkspaceFixture['bot']): Lazy<SlackUser> {
  const botUser: SlackUser = {
    id: bot.userId,
    team_id: teamId,
    name: bot.name,
    real_name: 'Tightknit',
    deleted: false,
    is_bot: true,
    profile: { real_name: 'Tightknit', display_name: 'Tightknit', bot_id: bot.botId },
  };
  return {
    count: members + 1,
    at(k: number): SlackUser {
      if (k === members) return botUser;
      const h = mix(seed, 1, k);
      const first = FIRST[h % FIRST.length];
      const last = LAST[(h >>> 8) % LAST.length];
      const realName = `${first} ${last} ${k}`;
      const deleted = k % 97 === 96;
      const isBot = k % 211 === 210;
      const profile: SlackUser['profile'] = deleted
        ? { real_name: '', display_name: '' }
        : {
            real_name: realName,
            display_name: `${first.toLowerCase()}${k}`,
            first_name: first,
            last_name: `${last} ${k}`,
            title: h % 3 === 0 ? 'Developer advocate' : '',
            image_512: `https://avatars.example.com/${userId(k)}_512.png`,
            ...(k % 13 === 12 || isBot ? {} : { email: `user${k}@example.com` }),
            ...(isBot ? { bot_id: `B${k.toString(36).toUpperCase().padStart(9, '0')}` } : {}),
          };
      return {
        id: userId(k),
        team_id: teamId,
        name: `${first.toLowerCase()}.${k}`,
        real_name: deleted ? '' : realName,
        deleted,
        is_bot: isBot,
        tz: (h >>> 16) % 2 === 0 ? 'Europe/Paris' : 'America/New_York',
        updated: 1_700_000_000 + k,
        profile,
      };
    },
  };
}

/** Messages per channel: weights 1-4 per channel, the remainder to the first channel. */
function channelSizes(seed: number, channels: number, total: number): number[] {
  const weights = Array.from({ length: channels }, (_, c) => 1 + (mix(seed, 2, c) % 4));
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((total * w) / sum));
  sizes[0] += total - sizes.reduce((a, b) => a + b, 0);
  return sizes;
}

const START = 1_700_000_000; // 2023-11-14
const END = 1_767_225_600; // 2026-01-01
const BLOCK_TOTAL = 10; // messages per block: 1 parent + 3 replies + 6 plain
const BLOCK_TOP = 7; // top-level messages per block
const REPLIES = 3;
const WORDS = ['community', 'launch', 'question', 'thanks', 'release', 'meetup', 'docs', 'feedback', 'café', '🎉'];

function generatedChannel(seed: number, c: number, n: number, members: number, botUserId: string): ChannelFixture {
  const blocks = Math.floor(n / BLOCK_TOTAL);
  const top = blocks * BLOCK_TOP + (n % BLOCK_TOTAL);
  const spacing = Math.max(REPLIES + 1, Math.min(600, Math.floor((END - START) / Math.max(top, 1))));
  const micro = String(c % 1_000_000).padStart(6, '0');
  const id = `C${c.toString(36).toUpperCase().padStart(9, '0')}`;
  const isPrivate = c % 50 === 49;
  const author = (i: number, j: number): string => userId(mix(seed, 3, c, i, j) % members);
  const isParent = (i: number): boolean => i < blocks * BLOCK_TOP && i % BLOCK_TOP === 0;
  const tsAt = (i: number, plusSeconds = 0): string => `${START + i * spacing + plusSeconds}.${micro}`;
  const text = (i: number, j: number): string => {
    const h = mix(seed, 4, c, i, j);
    return `${WORDS[h % WORDS.length]} ${WORDS[(h >>> 4) % WORDS.length]} #${i}${j >= 0 ? `.${j}` : ''}`;
  };

  function reply(i: number, j: number): SlackMessage {
    return {
      type: 'message',
      ts: tsAt(i, j + 1),
      user: author(i, j),
      text: text(i, j),
      thread_ts: tsAt(i),
      parent_user_id: author(i, -1),
    };
  }

  const source: MessageSource = {
    count: top,
    at(i: number): SlackMessage {
      const ts = tsAt(i);
      const user = author(i, -1);
      const h = mix(seed, 5, c, i);
      if (isParent(i)) {
        const replyUsers = [...new Set(Array.from({ length: REPLIES }, (_, j) => author(i, j)))];
        return {
          type: 'message',
          ts,
          user,
          text: text(i, -1),
          thread_ts: ts,
          reply_count: REPLIES,
          reply_users: replyUsers,
          reply_users_count: replyUsers.length,
          latest_reply: tsAt(i, REPLIES),
        };
      }
      if (h % 50 === 7)
        return { type: 'message', subtype: 'channel_join', ts, user, text: `<@${user}> has joined the channel` };
      const m: SlackMessage = { type: 'message', ts, user, text: text(i, -1) };
      if (h % 5 === 1) {
        const users = [author(i, 10), author(i, 11)].filter((u, k, a) => a.indexOf(u) === k);
        m.reactions = [{ name: h % 2 === 0 ? 'tada' : '+1', users, count: users.length }];
      }
      return m;
    },
    replies: (i) => (isParent(i) ? Array.from({ length: REPLIES }, (_, j) => reply(i, j)) : []),
    locate(ts: string) {
      const key = tsKey(ts);
      if (!key.endsWith(micro)) return undefined;
      const offset = Number(key.slice(0, 10)) - START;
      if (offset < 0) return undefined;
      const i = Math.floor(offset / spacing);
      const rem = offset % spacing;
      if (i >= top) return undefined;
      if (rem === 0) return { parent: i, reply: -1 };
      return isParent(i) && rem <= REPLIES ? { parent: i, reply: rem - 1 } : undefined;
    },
  };
  return {
    channel: {
      id,
      name: `channel-${c}`,
      is_channel: !isPrivate,
      is_group: isPrivate,
      is_private: isPrivate,
      is_archived: false,
      is_general: c === 0,
      created: START - 86_400,
      creator: botUserId,
      num_members: Math.min(members, 10 + (mix(seed, 6, c) % 500)),
    },
    // One channel the bot was never invited to, so a reader meets not_in_channel.
    botMember: !(c === 1 && !isPrivate),
    messages: source,
  };
}
