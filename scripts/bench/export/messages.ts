import { pad, type Random } from './random';
import { PHRASES, REACTIONS } from './vocabulary';

type Json = Record<string, unknown>;

/** What the messages of an export share across its channels and days: randomness, speakers and counters. */
export interface Conversation {
  random: Random;
  /** Who speaks next (see speakerPicker). */
  speaker: () => string;
  team: string;
  days: number;
  /** Messages and replies written so far (file ids are numbered by it). */
  messages: number;
  /** The one very long post is written (on the middle day). */
  longDone: boolean;
  /** Members who have joined #general. */
  joined: Set<string>;
}

/** A channel_join (first words of a member in #general), channel_leave or channel_topic event, or undefined. */
function channelEvent(talk: Conversation, c: number, user: string, ts: string, roll: number): Json | undefined {
  const { team } = talk;
  if (c === 0 && !talk.joined.has(user)) {
    talk.joined.add(user);
    return { type: 'message', subtype: 'channel_join', user, text: `<@${user}> has joined the channel`, ts, team };
  }
  if (roll < 0.004) {
    return { type: 'message', subtype: 'channel_leave', user, text: `<@${user}> has left the channel`, ts, team };
  }
  if (roll < 0.006) {
    return {
      type: 'message',
      subtype: 'channel_topic',
      user,
      text: 'set the channel topic',
      topic: 'News',
      ts,
      team,
    };
  }
  return undefined;
}

/** A top-level message: now and then one from another workspace, a bot's, or a file share. */
function post(talk: Conversation, d: number, user: string, ts: string, roll: number): Json {
  const { rand, pick } = talk.random;
  const { team } = talk;
  const message: Json = { type: 'message', user, text: pick(PHRASES), ts, team, user_team: team };
  if (!talk.longDone && d === Math.floor(talk.days / 2)) {
    message.text = `A very long post. ${'Lorem ipsum dolor sit amet, «consectetur» adipiscing — elit. '.repeat(1700)}`;
    talk.longDone = true;
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
        id: `F${pad(talk.messages, 9)}`,
        name: `notes, "draft" ${talk.messages}.pdf`,
        title: 'Notes',
        mimetype: 'application/pdf',
      },
    ];
  }
  return message;
}

/** One or two kinds of reaction on `message` (a kind drawn twice counts once); returns the reactions made. */
function react(talk: Conversation, message: Json): number {
  const { rand } = talk.random;
  const reactions: Json[] = [];
  let made = 0;
  const kinds = 1 + Math.floor(rand() * 2);
  for (let k = 0; k < kinds; k++) {
    const reactors = new Set<string>();
    const n = 1 + Math.floor(rand() * 3);
    for (let r = 0; r < n; r++) reactors.add(talk.speaker());
    reactions.push({
      name: REACTIONS[(k + Math.floor(rand() * REACTIONS.length)) % REACTIONS.length],
      users: [...reactors],
      count: reactors.size,
    });
    made += reactors.size;
  }
  const names = new Set<string>();
  message.reactions = reactions.filter((r) => !names.has(r.name as string) && names.add(r.name as string));
  return made;
}

/** One to four replies to `parent` (the last now and then broadcast), added to `list`; returns how many. */
function reply(talk: Conversation, parent: Json, ts: string, nextTs: () => string, list: Json[]): number {
  const { rand, pick } = talk.random;
  const replies = 1 + Math.floor(rand() * 4);
  const replyUsers = new Set<string>();
  parent.thread_ts = ts;
  for (let r = 0; r < replies; r++) {
    const replier = talk.speaker();
    replyUsers.add(replier);
    const message: Json = {
      type: 'message',
      user: replier,
      text: pick(PHRASES),
      ts: nextTs(),
      team: talk.team,
      thread_ts: ts,
      parent_user_id: parent.user,
    };
    if (r === replies - 1 && rand() < 0.1) message.subtype = 'thread_broadcast';
    list.push(message);
  }
  talk.messages += replies;
  parent.reply_count = replies;
  parent.reply_users_count = replyUsers.size;
  parent.reply_users = [...replyUsers];
  return replies;
}

/**
 * The messages of channel `c` on day `d` (starting at `dayStart`, ms) until `budget` activities are made:
 * joins, posts, reactions and replies. Returns the day file's list and the activities it holds.
 */
export function channelDay(
  talk: Conversation,
  d: number,
  c: number,
  dayStart: number,
  budget: number,
): { list: Json[]; made: number } {
  const { rand } = talk.random;
  const list: Json[] = [];
  let t = dayStart / 1000 + 3600 * 7;
  let made = 0;
  const nextTs = (): string => {
    t += 1 + Math.floor(rand() * (50_000 / Math.max(1, budget)));
    return `${Math.floor(t)}.${pad(Math.floor(rand() * 1e6), 6)}`;
  };
  while (made < budget) {
    const user = talk.speaker();
    const ts = nextTs();
    const roll = rand();
    const event = channelEvent(talk, c, user, ts, roll);
    if (event) {
      list.push(event);
      if (event.subtype === 'channel_join') made += 1;
      continue;
    }
    const message = post(talk, d, user, ts, roll);
    list.push(message);
    talk.messages += 1;
    made += 1;
    if (rand() < 0.3) made += react(talk, message);
    if (rand() < 0.12 && message.user) made += reply(talk, message, ts, nextTs, list);
  }
  return { list, made };
}
