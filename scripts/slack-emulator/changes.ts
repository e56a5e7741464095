import { SlackEvent } from './events/envelope';
import { ChannelState } from './state/channel';
import { WorkspaceState } from './state/workspace';
import { tsSeconds } from './ts';
import { SlackMessage, SlackReaction, SlackUser } from './types';

/**
 * Workspace changes as people make them in Slack: each updates the state the Web API serves and
 * returns the events Slack would send (docs.slack.dev event reference: message and its subtypes,
 * reaction_added/removed, member_joined_channel, team_join, user_change, channel_created,
 * channel_rename). An empty list: Slack sends nothing, e.g. a message in a channel the app is not in.
 */
export class Changes {
  constructor(private readonly ws: WorkspaceState) {}

  private channelType(c: ChannelState): 'channel' | 'group' {
    return c.channel.is_private ? 'group' : 'channel';
  }

  /** Message events reach the app only from conversations it is a member of. */
  private messageEvent(c: ChannelState, fields: Record<string, unknown>, eventTs: string): SlackEvent[] {
    if (!c.botMember) return [];
    return [
      { type: 'message', channel: c.channel.id, channel_type: this.channelType(c), event_ts: eventTs, ...fields },
    ];
  }

  private existing(c: ChannelState, ts: string): { message: SlackMessage; parentIndex: number; isReply: boolean } {
    const found = c.find(ts);
    if (!found) throw new Error(`No message ${ts} in channel ${c.channel.id} of the emulated workspace.`);
    return found;
  }

  postMessage(m: { channel: string; user: string; text: string; thread_ts?: string; subtype?: string }): {
    ts: string;
    events: SlackEvent[];
  } {
    const c = this.ws.requireChannel(m.channel);
    const ts = this.ws.clock.next();
    const message: SlackMessage = { type: 'message', ts, text: m.text };
    if (m.subtype === 'bot_message') {
      message.bot_id = this.ws.user(m.user)?.profile.bot_id ?? this.ws.bot.botId;
      message.username = this.ws.user(m.user)?.name ?? m.user;
    } else message.user = m.user;
    if (m.subtype) message.subtype = m.subtype;
    if (m.subtype === 'file_share')
      message.files = [
        { id: `F${ts.replace('.', '').slice(-9)}`, name: 'upload.txt', mimetype: 'text/plain', size: m.text.length },
      ];
    if (m.thread_ts) {
      const parent = this.existing(c, m.thread_ts);
      message.thread_ts = parent.message.ts;
      message.parent_user_id = parent.message.user;
      const replyUsers = [...new Set([...(parent.message.reply_users ?? []), m.user])];
      c.override(parent.message.ts, {
        ...parent.message,
        thread_ts: parent.message.ts,
        reply_count: (parent.message.reply_count ?? 0) + 1,
        reply_users: replyUsers,
        reply_users_count: replyUsers.length,
        latest_reply: ts,
      });
    }
    c.add(message);
    return { ts, events: this.messageEvent(c, { ...message }, ts) };
  }

  editMessage(channel: string, ts: string, text: string): SlackEvent[] {
    const c = this.ws.requireChannel(channel);
    const { message: previous } = this.existing(c, ts);
    const eventTs = this.ws.clock.next();
    const edited: SlackMessage = { ...previous, text, edited: { user: previous.user ?? '', ts: eventTs } };
    c.override(ts, edited);
    return this.messageEvent(
      c,
      { subtype: 'message_changed', hidden: true, ts: eventTs, message: edited, previous_message: previous },
      eventTs,
    );
  }

  /** A deleted thread parent with replies stays as Slack's tombstone; any other message disappears. */
  deleteMessage(channel: string, ts: string): SlackEvent[] {
    const c = this.ws.requireChannel(channel);
    const found = this.existing(c, ts);
    const previous = found.message;
    if (!found.isReply && (previous.reply_count ?? 0) > 0) {
      c.override(ts, {
        ...previous,
        subtype: 'tombstone',
        text: 'This message was deleted.',
        user: 'USLACKBOT',
        hidden: true,
        reactions: undefined,
      });
    } else c.override(ts, null);
    if (found.isReply && previous.thread_ts) {
      const parent = c.find(previous.thread_ts);
      if (parent) {
        c.override(parent.message.ts, {
          ...parent.message,
          reply_count: Math.max(0, (parent.message.reply_count ?? 1) - 1),
        });
      }
    }
    const eventTs = this.ws.clock.next();
    return this.messageEvent(
      c,
      { subtype: 'message_deleted', hidden: true, ts: eventTs, deleted_ts: ts, previous_message: previous },
      eventTs,
    );
  }

  private react(channel: string, ts: string, user: string, name: string, add: boolean): SlackEvent[] {
    const c = this.ws.requireChannel(channel);
    const { message } = this.existing(c, ts);
    const reactions: SlackReaction[] = (message.reactions ?? []).map((r) => ({ ...r, users: [...r.users] }));
    let r = reactions.find((x) => x.name === name);
    if (add) {
      if (r?.users.includes(user)) return [];
      if (!r) reactions.push((r = { name, users: [], count: 0 }));
      r.users.push(user);
      r.count += 1;
    } else {
      if (!r || !r.users.includes(user)) return [];
      r.users = r.users.filter((u) => u !== user);
      r.count -= 1;
    }
    const kept = reactions.filter((x) => x.count > 0);
    c.override(ts, { ...message, reactions: kept.length ? kept : undefined });
    if (!c.botMember) return [];
    const eventTs = this.ws.clock.next();
    return [
      {
        type: add ? 'reaction_added' : 'reaction_removed',
        user,
        reaction: name,
        item: { type: 'message', channel, ts },
        ...(message.user ? { item_user: message.user } : {}),
        event_ts: eventTs,
      },
    ];
  }

  addReaction(channel: string, ts: string, user: string, name: string): SlackEvent[] {
    return this.react(channel, ts, user, name, true);
  }

  removeReaction(channel: string, ts: string, user: string, name: string): SlackEvent[] {
    return this.react(channel, ts, user, name, false);
  }

  /**
   * A user joins: the channel_join message and member_joined_channel, both sent by Slack. The bot
   * joining makes the channel readable (and its events deliverable) from then on.
   */
  joinChannel(channel: string, user: string): SlackEvent[] {
    const c = this.ws.requireChannel(channel);
    if (user === this.ws.bot.userId) c.botMember = true;
    c.channel.num_members = (c.channel.num_members ?? 0) + 1;
    const ts = this.ws.clock.next();
    const join: SlackMessage = {
      type: 'message',
      subtype: 'channel_join',
      ts,
      user,
      text: `<@${user}> has joined the channel`,
    };
    c.add(join);
    if (!c.botMember) return [];
    return [
      ...this.messageEvent(c, { ...join }, ts),
      {
        type: 'member_joined_channel',
        user,
        channel,
        channel_type: c.channel.is_private ? 'G' : 'C',
        team: this.ws.team.id,
        event_ts: ts,
      },
    ];
  }

  addUser(u: { id: string; name: string; email?: string; real_name?: string; is_bot?: boolean }): SlackEvent[] {
    const realName = u.real_name ?? u.name;
    const [first, ...rest] = realName.split(' ');
    const user: SlackUser = {
      id: u.id,
      team_id: this.ws.team.id,
      name: u.name,
      real_name: realName,
      deleted: false,
      is_bot: u.is_bot ?? false,
      tz: 'Europe/London',
      updated: Math.floor(Date.now() / 1000),
      profile: {
        real_name: realName,
        display_name: u.name,
        first_name: first,
        last_name: rest.join(' '),
        ...(u.email ? { email: u.email } : {}),
      },
    };
    this.ws.addUser(user);
    return [{ type: 'team_join', user, event_ts: this.ws.clock.next() }];
  }

  updateUser(
    id: string,
    changes: { email?: string; real_name?: string; title?: string; deleted?: boolean },
  ): SlackEvent[] {
    const current = this.ws.user(id);
    if (!current) throw new Error(`No user ${id} in the emulated workspace.`);
    const profile = { ...current.profile };
    if (changes.email !== undefined) profile.email = changes.email;
    if (changes.real_name !== undefined) profile.real_name = changes.real_name;
    if (changes.title !== undefined) profile.title = changes.title;
    const user: SlackUser = {
      ...current,
      real_name: changes.real_name ?? current.real_name,
      deleted: changes.deleted ?? current.deleted,
      updated: Math.floor(Date.now() / 1000),
      profile,
    };
    this.ws.replaceUser(user);
    const eventTs = this.ws.clock.next();
    return [{ type: 'user_change', user, cache_ts: tsSeconds(eventTs), event_ts: eventTs }];
  }

  /**
   * A new public channel is announced with channel_created (the bot is not in it); a private one is
   * created with the bot invited and is not announced (channel_created covers public channels only).
   */
  createChannel(c: { id: string; name: string; is_private?: boolean }): SlackEvent[] {
    const isPrivate = c.is_private ?? false;
    const eventTs = this.ws.clock.next();
    const creator = this.ws.userAt(0).id;
    const state = new ChannelState({
      channel: {
        id: c.id,
        name: c.name,
        is_channel: !isPrivate,
        is_group: isPrivate,
        is_private: isPrivate,
        is_archived: false,
        is_general: false,
        created: tsSeconds(eventTs),
        creator,
        num_members: 1,
      },
      botMember: isPrivate,
      messages: {
        count: 0,
        at: () => {
          throw new Error('empty');
        },
        replies: () => [],
        locate: () => undefined,
      },
    });
    this.ws.addChannel(state);
    if (isPrivate) return [];
    return [
      {
        type: 'channel_created',
        channel: { id: c.id, name: c.name, created: tsSeconds(eventTs), creator },
        event_ts: eventTs,
      },
    ];
  }

  renameChannel(id: string, name: string): SlackEvent[] {
    const c = this.ws.requireChannel(id);
    c.channel.name = name;
    const eventTs = this.ws.clock.next();
    if (c.channel.is_private && !c.botMember) return [];
    return [
      {
        type: c.channel.is_private ? 'group_rename' : 'channel_rename',
        channel: { id, name, name_normalized: name, created: c.channel.created, is_channel: c.channel.is_channel },
        event_ts: eventTs,
      },
    ];
  }
}
