import { listOf, messagesOf } from './sources';
import { SlackChannel, SlackMessage, SlackUser, WorkspaceFixture } from './types';

/**
 * The built-in workspace "Acme Community": a few channels, people with unicode names, a deleted user,
 * two bots, threads, a broadcast reply, reactions, a file share, a join, an edited message, a private
 * channel the bot is in and a public one it is not (to exercise not_in_channel).
 */
const TEAM = 'T0EMULATE1';
const BOT = { userId: 'U0EMUBOT01', botId: 'B0EMUBOT01', appId: 'A0EMUAPP01', name: 'tightknit' };

function person(id: string, name: string, realName: string, email: string, extra: Partial<SlackUser> = {}): SlackUser {
  const [first, ...rest] = realName.split(' ');
  return {
    id,
    team_id: TEAM,
    name,
    real_name: realName,
    deleted: false,
    is_bot: false,
    tz: 'Europe/Paris',
    updated: 1_761_955_200,
    profile: {
      email,
      real_name: realName,
      display_name: name,
      first_name: first,
      last_name: rest.join(' '),
      title: '',
      image_512: `https://avatars.example.com/${id}_512.png`,
    },
    ...extra,
  };
}

const USERS: SlackUser[] = [
  person('U0EMUALICE', 'alice', 'Alice Nguyen', 'alice@acme.example', { tz: 'America/Los_Angeles', is_admin: true }),
  person('U0EMUBRUNO', 'bruno', 'Bruno Martínez', 'bruno@globex.example'),
  person('U0EMUCHLOE', 'chloe', 'Chloé Dubois', 'chloe@initech.example'),
  person('U0EMUDMITR', 'dmitri', 'Дмитрий Иванов', 'dmitri@umbrella.example', { tz: 'Europe/Moscow' }),
  person('U0EMUYUKI1', 'yuki', '山田 由紀', 'yuki@hooli.example', { tz: 'Asia/Tokyo' }),
  {
    id: 'U0EMUGONE1',
    team_id: TEAM,
    name: 'former.member',
    deleted: true,
    is_bot: false,
    updated: 1_762_000_000,
    profile: { real_name: '', display_name: '' },
  },
  {
    id: BOT.userId,
    team_id: TEAM,
    name: BOT.name,
    real_name: 'Tightknit',
    deleted: false,
    is_bot: true,
    updated: 1_761_955_200,
    profile: { real_name: 'Tightknit', display_name: 'Tightknit', bot_id: BOT.botId },
  },
  {
    id: 'U0EMUHELPR',
    team_id: TEAM,
    name: 'helpdesk',
    real_name: 'Helpdesk Bot',
    deleted: false,
    is_bot: true,
    updated: 1_761_955_200,
    profile: { real_name: 'Helpdesk Bot', display_name: 'helpdesk', bot_id: 'B0EMUHELPR' },
  },
];

const DAY = 86_400;
const T0 = 1_762_000_000; // 2025-11-01
const ts = (day: number, second: number): string => `${T0 + day * DAY + second}.000100`;

function channel(id: string, name: string, opts: Partial<SlackChannel> = {}): SlackChannel {
  const isPrivate = opts.is_private ?? false;
  return {
    id,
    name,
    is_channel: !isPrivate,
    is_group: isPrivate,
    is_private: isPrivate,
    is_archived: false,
    is_general: false,
    created: T0 - 30 * DAY,
    creator: 'U0EMUALICE',
    num_members: 6,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: `#${name}`, creator: 'U0EMUALICE', last_set: T0 - 30 * DAY },
    ...opts,
  };
}

const msg = (t: string, user: string, text: string, extra: Partial<SlackMessage> = {}): SlackMessage => ({
  type: 'message',
  ts: t,
  ...(user ? { user } : {}),
  text,
  ...extra,
});

const GENERAL: SlackMessage[] = [
  msg(ts(0, 10), 'U0EMUALICE', 'Welcome to the Acme community! 👋', {
    reactions: [
      { name: 'wave', users: ['U0EMUBRUNO', 'U0EMUCHLOE', 'U0EMUYUKI1'], count: 3 },
      { name: 'tada', users: ['U0EMUDMITR'], count: 1 },
    ],
  }),
  msg(ts(0, 60), 'U0EMUBRUNO', '<@U0EMUBRUNO> has joined the channel', { subtype: 'channel_join' }),
  msg(ts(0, 120), 'U0EMUBRUNO', '¡Hola a todos! Happy to be here.', {
    thread_ts: ts(0, 120),
    reply_count: 2,
    reply_users: ['U0EMUALICE', 'U0EMUYUKI1'],
    reply_users_count: 2,
    latest_reply: ts(0, 300),
  }),
  msg(ts(0, 200), 'U0EMUALICE', 'Welcome Bruno!', { thread_ts: ts(0, 120), parent_user_id: 'U0EMUBRUNO' }),
  msg(ts(0, 300), 'U0EMUYUKI1', 'ようこそ！', {
    thread_ts: ts(0, 120),
    parent_user_id: 'U0EMUBRUNO',
    reactions: [{ name: 'heart', users: ['U0EMUBRUNO'], count: 1 }],
  }),
  msg(ts(1, 0), 'U0EMUGONE1', 'I will be leaving soon, thanks all.'),
  msg(ts(1, 30), '', 'Daily digest: 3 new members', {
    subtype: 'bot_message',
    bot_id: 'B0EMUHELPR',
    username: 'helpdesk',
  }),
  msg(ts(1, 90), 'U0EMUCHLOE', 'Slides from the meetup', {
    subtype: 'file_share',
    files: [{ id: 'F0EMUSLIDE', name: 'meetup.pdf', title: 'Meetup slides', mimetype: 'application/pdf', size: 48213 }],
  }),
  msg(ts(2, 0), 'U0EMUDMITR', 'Привет! Есть вопрос про API.', { edited: { user: 'U0EMUDMITR', ts: ts(2, 40) } }),
];

const HELP: SlackMessage[] = [
  msg(ts(0, 500), 'U0EMUCHLOE', 'How do I export my data?', {
    thread_ts: ts(0, 500),
    reply_count: 3,
    reply_users: ['U0EMUALICE', 'U0EMUCHLOE'],
    reply_users_count: 2,
    latest_reply: ts(0, 900),
  }),
  msg(ts(0, 600), 'U0EMUALICE', 'Settings → Export. I will write it up.', {
    thread_ts: ts(0, 500),
    parent_user_id: 'U0EMUCHLOE',
  }),
  msg(ts(0, 700), 'U0EMUALICE', 'Docs are updated for everyone: Settings → Export', {
    thread_ts: ts(0, 500),
    parent_user_id: 'U0EMUCHLOE',
    subtype: 'thread_broadcast',
  }),
  msg(ts(0, 900), 'U0EMUCHLOE', 'Merci !', {
    thread_ts: ts(0, 500),
    parent_user_id: 'U0EMUCHLOE',
    reactions: [{ name: '+1', users: ['U0EMUALICE'], count: 1 }],
  }),
  msg(ts(3, 0), 'U0EMUYUKI1', 'Is there an API rate limit?'),
];

const RANDOM: SlackMessage[] = [msg(ts(0, 1000), 'U0EMUBRUNO', 'The bot cannot read this channel.')];

const PRIVATE: SlackMessage[] = [
  msg(ts(1, 500), 'U0EMUALICE', 'Globex wants an enterprise plan', {
    reactions: [{ name: 'moneybag', users: ['U0EMUBRUNO'], count: 1 }],
  }),
  msg(ts(1, 600), 'U0EMUBRUNO', 'I will follow up with their admin.'),
];

export function fixtureWorkspace(): WorkspaceFixture {
  return {
    team: { id: TEAM, name: 'Acme Community', domain: 'acme-community', email_domain: 'acme.example' },
    bot: { ...BOT },
    users: listOf(USERS.map((u) => structuredClone(u))),
    channels: [
      {
        channel: channel('C0EMUGENRL', 'general', { is_general: true, num_members: 7 }),
        botMember: true,
        messages: messagesOf(GENERAL),
      },
      { channel: channel('C0EMUHELP1', 'help', { num_members: 4 }), botMember: true, messages: messagesOf(HELP) },
      { channel: channel('C0EMURANDM', 'random', { num_members: 5 }), botMember: false, messages: messagesOf(RANDOM) },
      {
        channel: channel('G0EMULEADS', 'customer-leads', { is_private: true, num_members: 3 }),
        botMember: true,
        messages: messagesOf(PRIVATE),
      },
      {
        channel: channel('C0EMUEMPTY', 'announcements', { num_members: 7 }),
        botMember: true,
        messages: messagesOf([]),
      },
    ],
  };
}
