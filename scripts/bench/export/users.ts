import { pad, type Random } from './random';
import { CJK, COMPANIES, FIRST, LAST, TITLES, TZ } from './vocabulary';

type Json = Record<string, unknown>;

/** A user's email: some are missing, some repeat an earlier one in another case. */
function emailOf(
  random: Random,
  i: number,
  first: string,
  last: string,
  isBot: boolean,
  emails: string[],
): string | undefined {
  const { rand, pick } = random;
  let email: string | undefined =
    `${first || 'user'}.${(last || String(i)).replace(/[^A-Za-z]/g, '')}${i}@${pick(COMPANIES)}`
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  if (i % 31 === 4 && emails.length > 0) email = emails[Math.floor(rand() * emails.length)].toUpperCase();
  if (isBot || i % 29 === 11) email = undefined;
  if (email) emails.push(email);
  return email;
}

/** The i-th user of users.json. */
function userOf(random: Random, i: number, team: string, emails: string[]): Json {
  const { pick } = random;
  const id = `U${pad(i + 1, 8)}`;
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
  const email = emailOf(random, i, first, last, isBot, emails);
  const profile: Json = {
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
  return {
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
  };
}

/** users.json: a few bots, deleted accounts, missing emails and duplicate emails in another case. */
export function generateUsers(random: Random, members: number, team: string): Json[] {
  const emails: string[] = [];
  const users: Json[] = [];
  for (let i = 0; i < members; i++) users.push(userOf(random, i, team, emails));
  return users;
}
