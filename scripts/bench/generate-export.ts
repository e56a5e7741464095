/**
 * Writes a synthetic Slack workspace export (the folder layout Slack produces) from a seed, so the same
 * arguments always give byte-identical files. Used for the demo sample (samples/community-export/) and
 * for the ingest benchmark.
 *
 *   npx tsx scripts/bench/generate-export.ts --out samples/community-export --members 300 --activities 4000 --seed 7 --pretty
 *   npx tsx scripts/bench/generate-export.ts --out .bench/export-1m --members 50000 --activities 1000000
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export interface GenerateOptions {
  out: string;
  members: number;
  /** Approximate number of activities (messages, replies, reactions, joins) the export yields. */
  activities: number;
  days: number;
  seed: number;
  /** Prettier-formatted JSON (2-space, short arrays on one line) for files committed to the repository. */
  pretty: boolean;
  teamId: string;
  /** The last day of the export, YYYY-MM-DD. */
  endDate: string;
}

export interface GenerateResult {
  members: number;
  dayFiles: number;
  messages: number;
  activities: number;
  bytes: number;
}

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ana',
  'Björn',
  'Chloé',
  'Dmitri',
  'Émilie',
  'Farah',
  'Giulia',
  'Hiroshi',
  'Ingrid',
  'Jürgen',
  'Kwame',
  'Léa',
  'Mateo',
  'Nadia',
  'Oluwaseun',
  'Priya',
  'Quentin',
  'Rosa',
  'Søren',
  'Tomás',
  'Umaima',
  'Valentina',
  'Wojciech',
  'Xiaoling',
  'Yusuf',
  'Zoë',
  'Aarav',
  'Beatriz',
  'Camille',
  'Diego',
  'Elif',
  'François',
  'Grace',
  'Hannah',
  'Isabel',
  'Jonas',
  'Kenji',
  'Laila',
  'Magnus',
  'Noor',
  'Oskar',
  'Paula',
  'Raúl',
  'Sakura',
  'Thandiwe',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
  'Zainab',
  'Łukasz',
  'Ngọc',
  'Siobhán',
  'Mátyás',
  'Agnieszka',
  'Ömer',
  'Renée',
  'João',
  'Maëlle',
];
const LAST = [
  'Lima',
  'Øster',
  'Dubois',
  'Ivanov',
  'Laurent',
  'Haddad',
  'Rossi',
  'Tanaka',
  'Lindqvist',
  'Müller',
  'Mensah',
  'Moreau',
  'García',
  'Petrova',
  'Adeyemi',
  'Sharma',
  'Lefèvre',
  'Fernández',
  'Kierkegaard',
  'Ó Briain',
  'Nakamura',
  'Kowalski',
  'Zhang',
  'Yılmaz',
  'Okafor',
  "O'Brien",
  'van der Berg',
  'Nguyễn',
  'Schäfer',
  'Santos',
  'Andersson',
  'Dlamini',
  'Kaur',
  'Novák',
  'Gonçalves',
  'Horváth',
  'McAllister',
  'Abebe',
  'Chen-Lindgren',
  'Papadopoulos',
];
const CJK = ['山田 太郎', '佐藤 花子', '김민준', '王 芳', '李 娜', 'Đặng Thu Thảo'];
const TITLES = [
  'Head of "Growth", EMEA',
  'Senior Solutions Engineer',
  'VP, Customer Success',
  'Community Manager',
  'Developer Advocate',
  'Product Designer',
  'Data Scientist',
  'CTO & Co-founder',
  'Revenue Operations Lead',
  'Software Engineer II',
  '',
];
const COMPANIES = ['acme.io', 'globex.com', 'initech.co', 'umbrella.dev', 'hooli.xyz', 'soylent.org', 'example.com'];
const TZ = ['Europe/Lisbon', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Africa/Lagos'];
const CHANNELS = [
  'general',
  'introductions',
  'help',
  'announcements',
  'random',
  'product-feedback',
  'events',
  'show-and-tell',
  'jobs',
  'design',
  'engineering',
  'data',
  'integrations',
  'salesforce',
  'api',
  'community-ops',
  'off-topic',
  'wins',
  'ask-the-experts',
  'regional-emea',
  'regional-apac',
  'regional-amer',
  'beta-testers',
  'release-notes',
];
const PHRASES = [
  'Has anyone tried the new export?',
  'Thanks, that fixed it! 🎉',
  'We shipped the "workflow builder" today, feedback welcome',
  'Quick question: does the API support pagination, filtering, and sorting?',
  'Olá! Muito prazer, sou nova por aqui.',
  'Guten Morgen zusammen ☕',
  'こんにちは、よろしくお願いします',
  'Here are my notes:\n1. set up SSO\n2. invite the team\n3. celebrate',
  'Column A\tColumn B\tColumn C',
  "Could you share the slides from Thursday's meetup?",
  'I wrote a blog post about our community metrics 📈',
  '+1 to this, we have the same issue',
  'Is there a recording of the AMA?',
  'Welcome aboard! 👋 Check out #help and #events',
  'TIL: you can filter by "last active" — super handy',
  'Привет всем! Рад присоединиться',
  'مرحبا بالجميع',
  'Does anyone have a template for QBRs?',
];
const REACTIONS = ['tada', '+1', 'heart', 'eyes', 'raised_hands', 'rocket', 'white_check_mark', 'joy', 'pray', 'fire'];

/** JSON laid out as prettier formats .json files, so committed samples pass `prettier --check`. */
export function prettyJson(value: unknown, indent = '', prefixLength = 0): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (indent.length + prefixLength + flat.length + 1 <= 120) return flat;
    }
    return `[\n${value.map((v) => inner + prettyJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries
    .map(([k, v]) => {
      const key = `${JSON.stringify(k)}: `;
      return inner + key + prettyJson(v, inner, key.length);
    })
    .join(',\n')}\n${indent}}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function generateExport(o: GenerateOptions): GenerateResult {
  const rand = rng(o.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const write = (path: string, value: unknown): number => {
    const text = o.pretty ? `${prettyJson(value)}\n` : JSON.stringify(value);
    mkdirSync(join(o.out, path, '..'), { recursive: true });
    writeFileSync(join(o.out, path), text);
    return Buffer.byteLength(text);
  };
  rmSync(o.out, { recursive: true, force: true });
  mkdirSync(o.out, { recursive: true });
  const team = o.teamId;
  let bytes = 0;

  // Users: a few bots, deleted accounts, missing emails and duplicate emails in another case.
  const userIds: string[] = [];
  const users: Array<Record<string, unknown>> = [];
  const emails: string[] = [];
  for (let i = 0; i < o.members; i++) {
    const id = `U${pad(i + 1, 8)}`;
    userIds.push(id);
    const isBot = i % 97 === 5;
    const deleted = !isBot && i % 53 === 7;
    const cjk = i % 41 === 3;
    const first = cjk ? '' : pick(FIRST);
    const last = cjk ? '' : pick(LAST);
    const real = isBot
      ? `${pick(['Standup', 'Deploy', 'Poll', 'Welcome'])} Bot ${i}`
      : cjk
        ? pick(CJK)
        : `${first} ${last}`;
    let email: string | undefined =
      `${first || 'user'}.${(last || String(i)).replace(/[^A-Za-z]/g, '')}${i}@${pick(COMPANIES)}`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase();
    if (i % 31 === 4 && emails.length > 0) email = emails[Math.floor(rand() * emails.length)].toUpperCase();
    if (isBot || i % 29 === 11) email = undefined;
    if (email) emails.push(email);
    const profile: Record<string, unknown> = {
      title: isBot ? '' : pick(TITLES),
      phone: '',
      real_name: real,
      real_name_normalized: real.normalize('NFD').replace(/[\u0300-\u036f]/g, ''),
      display_name: isBot ? '' : first || real,
      first_name: first || undefined,
      last_name: last || undefined,
      email,
      image_72: `https://avatars.example.com/${id}_72.png`,
      image_192: `https://avatars.example.com/${id}_192.png`,
      image_512: `https://avatars.example.com/${id}_512.png`,
      team,
    };
    if (isBot) profile.bot_id = `B${pad(i + 1, 8)}`;
    users.push({
      id,
      team_id: team,
      name: (first || 'user').toLowerCase() + i,
      deleted,
      real_name: real,
      tz: pick(TZ),
      profile,
      is_bot: isBot,
      is_admin: i === 0,
      is_owner: i === 0,
      updated: 1700000000 + i,
    });
  }
  bytes += write('users.json', users);

  const channelCount = Math.max(3, Math.min(CHANNELS.length, Math.round(Math.sqrt(o.activities) / 12)));
  const channels = CHANNELS.slice(0, channelCount).map((name, i) => ({
    id: `C${pad(i + 1, 8)}`,
    name,
    created: 1700000000,
    creator: userIds[0],
    is_archived: false,
    is_general: i === 0,
    members: userIds.slice(0, Math.min(5, userIds.length)),
    topic: { value: `All about ${name}`, creator: userIds[0], last_set: 1700000000 },
    purpose: { value: `Talk about ${name}, ask questions, share wins`, creator: userIds[0], last_set: 1700000000 },
  }));
  bytes += write('channels.json', channels);
  const privateChannel = {
    id: 'G00000001',
    name: 'leadership-private',
    created: 1700000000,
    creator: userIds[0],
    is_archived: false,
    members: userIds.slice(0, 3),
  };
  bytes += write('groups.json', [privateChannel]);
  bytes += write('mpims.json', []);
  bytes += write('dms.json', []);

  // Activity comes from a minority of members, the most active far more often (a power-law).
  const active = Math.max(1, Math.round(o.members * 0.7));
  const cumulative: number[] = [];
  let sum = 0;
  for (let i = 0; i < active; i++) {
    sum += 1 / Math.pow(i + 1, 0.8);
    cumulative.push(sum);
  }
  // Seeded shuffle, so the most active members are spread over the id range.
  const order = userIds.slice();
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  order.length = active;
  const speaker = (): string => {
    const x = rand() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return order[lo];
  };

  const end = Date.parse(`${o.endDate}T00:00:00Z`);
  const start = end - (o.days - 1) * 86_400_000;
  const perDay = o.activities / o.days;
  let messages = 0;
  let activities = 0;
  let dayFiles = 0;
  let longDone = false;
  const joined = new Set<string>();
  const channelWeights = channels.map((_, i) => 1 / (i + 1));
  const weightSum = channelWeights.reduce((a, b) => a + b, 0);

  const dayOut = (folder: string, date: string, list: unknown[]): void => {
    if (list.length === 0) return;
    bytes += write(`${folder}/${date}.json`, list);
    dayFiles += 1;
  };

  for (let d = 0; d < o.days; d++) {
    const dayStart = start + d * 86_400_000;
    const date = new Date(dayStart).toISOString().slice(0, 10);
    for (let c = 0; c < channels.length; c++) {
      const ch = channels[c];
      const budget = Math.round(((perDay * channelWeights[c]) / weightSum) * (0.6 + rand() * 0.8));
      const list: Array<Record<string, unknown>> = [];
      let t = dayStart / 1000 + 3600 * 7;
      let made = 0;
      const nextTs = (): string => {
        t += 1 + Math.floor(rand() * (50_000 / Math.max(1, budget)));
        return `${Math.floor(t)}.${pad(Math.floor(rand() * 1e6), 6)}`;
      };
      while (made < budget) {
        const user = speaker();
        const ts = nextTs();
        const roll = rand();
        if (c === 0 && !joined.has(user)) {
          joined.add(user);
          list.push({
            type: 'message',
            subtype: 'channel_join',
            user,
            text: `<@${user}> has joined the channel`,
            ts,
            team,
          });
          made += 1;
          continue;
        }
        if (roll < 0.004) {
          list.push({
            type: 'message',
            subtype: 'channel_leave',
            user,
            text: `<@${user}> has left the channel`,
            ts,
            team,
          });
          continue;
        }
        if (roll < 0.006) {
          list.push({
            type: 'message',
            subtype: 'channel_topic',
            user,
            text: 'set the channel topic',
            topic: 'News',
            ts,
            team,
          });
          continue;
        }
        const message: Record<string, unknown> = {
          type: 'message',
          user,
          text: pick(PHRASES),
          ts,
          team,
          user_team: team,
        };
        if (!longDone && d === Math.floor(o.days / 2)) {
          message.text = `A very long post. ${'Lorem ipsum dolor sit amet, «consectetur» adipiscing — elit. '.repeat(1700)}`;
          longDone = true;
        }
        if (roll > 0.985) {
          const ext = `U9EXT${pad(Math.floor(rand() * 20), 4)}`;
          message.user = ext;
          message.user_team = 'T9PARTNER';
        } else if (roll > 0.975) {
          delete message.user;
          message.subtype = 'bot_message';
          message.bot_id = 'B9WEBHOOK';
          message.username = 'Release Notes';
        } else if (roll > 0.95) {
          message.subtype = 'file_share';
          message.files = [
            {
              id: `F${pad(messages, 9)}`,
              name: `notes, "draft" ${messages}.pdf`,
              title: 'Notes',
              mimetype: 'application/pdf',
            },
          ];
        }
        list.push(message);
        messages += 1;
        made += 1;
        if (rand() < 0.3) {
          const reactions: Array<Record<string, unknown>> = [];
          const kinds = 1 + Math.floor(rand() * 2);
          for (let k = 0; k < kinds; k++) {
            const reactors = new Set<string>();
            const n = 1 + Math.floor(rand() * 3);
            for (let r = 0; r < n; r++) reactors.add(speaker());
            reactions.push({
              name: REACTIONS[(k + Math.floor(rand() * REACTIONS.length)) % REACTIONS.length],
              users: [...reactors],
              count: reactors.size,
            });
            made += reactors.size;
          }
          const names = new Set<string>();
          message.reactions = reactions.filter((r) => !names.has(r.name as string) && names.add(r.name as string));
        }
        if (rand() < 0.12 && message.user) {
          const replies = 1 + Math.floor(rand() * 4);
          const replyUsers = new Set<string>();
          const parent = message;
          parent.thread_ts = ts;
          for (let r = 0; r < replies; r++) {
            const replier = speaker();
            replyUsers.add(replier);
            const reply: Record<string, unknown> = {
              type: 'message',
              user: replier,
              text: pick(PHRASES),
              ts: nextTs(),
              team,
              thread_ts: ts,
              parent_user_id: parent.user,
            };
            if (r === replies - 1 && rand() < 0.1) reply.subtype = 'thread_broadcast';
            list.push(reply);
            messages += 1;
            made += 1;
          }
          parent.reply_count = replies;
          parent.reply_users_count = replyUsers.size;
          parent.reply_users = [...replyUsers];
        }
      }
      activities += made;
      dayOut(ch.name, date, list);
    }
    if (d % 7 === 0) {
      dayOut(privateChannel.name, date, [
        {
          type: 'message',
          user: userIds[0],
          text: 'Board prep, private',
          ts: `${dayStart / 1000 + 3600}.000100`,
          team,
        },
      ]);
    }
  }
  return { members: o.members, dayFiles, messages, activities, bytes };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: '.bench/export' },
      members: { type: 'string', default: '50000' },
      activities: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '90' },
      seed: { type: 'string', default: '42' },
      team: { type: 'string', default: 'T0BENCH01' },
      end: { type: 'string', default: '2026-10-31' },
      pretty: { type: 'boolean', default: false },
    },
  });
  const started = Date.now();
  const result = generateExport({
    out: values.out,
    members: Number(values.members),
    activities: Number(values.activities),
    days: Number(values.days),
    seed: Number(values.seed),
    teamId: values.team,
    endDate: values.end,
    pretty: values.pretty,
  });
  process.stdout.write(
    `Wrote ${values.out}: ${result.members} users, ${result.dayFiles} day files, ${result.messages} messages, ~${result.activities} activities, ${(result.bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
