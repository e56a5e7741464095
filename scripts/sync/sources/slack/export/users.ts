import type { MemberInput } from '../../../store';
import { anonymizedMember } from '../../../deleted-member';

/** A Slack user as the export's users.json (or org_users.json) holds it; every field optional. */
export interface SlackUser {
  id: string;
  teamId: string | null;
  name: string | null;
  realName: string | null;
  displayName: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  title: string | null;
  avatarUrl: string | null;
  timeZone: string | null;
  deleted: boolean;
  isBot: boolean;
  botId: string | null;
}

function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** A non-empty string or null (Slack writes "" for unset profile fields). */
export function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** Reads one users.json element; null when it has no user id. */
export function readSlackUser(raw: unknown): SlackUser | null {
  const u = obj(raw);
  const id = u ? text(u.id) : null;
  if (!u || !id) return null;
  const p = obj(u.profile) ?? {};
  return {
    id,
    teamId: text(u.team_id) ?? text(p.team),
    name: text(u.name),
    realName: text(p.real_name) ?? text(u.real_name),
    displayName: text(p.display_name),
    firstName: text(p.first_name),
    lastName: text(p.last_name),
    email: text(p.email),
    title: text(p.title),
    avatarUrl: text(p.image_512) ?? text(p.image_192) ?? text(p.image_72) ?? text(p.image_original),
    timeZone: text(u.tz),
    deleted: u.deleted === true,
    isBot: u.is_bot === true || id === 'USLACKBOT',
    botId: text(p.bot_id),
  };
}

export function memberId(teamId: string, userId: string): string {
  return `slack:${teamId}:${userId}`;
}

/**
 * Slack user → member. A user deleted in Slack keeps its row (status Deleted) with every personal
 * field cleared; its activities are marked deleted by the store.
 */
export function toMember(u: SlackUser, teamId: string, communityId: string): MemberInput {
  const base = {
    tightknitId: memberId(teamId, u.id),
    communityId,
    slackUserId: u.id,
    isBot: u.isBot,
    joinedAt: null,
    isPlaceholder: false,
  };
  if (u.deleted) return anonymizedMember(base);
  let firstName = u.firstName;
  let lastName = u.lastName;
  if (!firstName && !lastName && u.realName && !u.isBot) {
    const cut = u.realName.trim().lastIndexOf(' ');
    if (cut > 0) {
      firstName = u.realName.trim().slice(0, cut);
      lastName = u.realName.trim().slice(cut + 1);
    } else {
      lastName = u.realName.trim();
    }
  }
  return {
    ...base,
    name: u.realName ?? u.displayName ?? u.name ?? u.id,
    email: u.email,
    firstName,
    lastName,
    title: u.title,
    avatarUrl: u.avatarUrl,
    timeZone: u.timeZone,
    profileUrl: null,
    status: 'Active',
  };
}

/** A member for a user id that activity mentions but users.json lacks (Slack Connect users, purged accounts). */
export function placeholderMember(
  teamId: string,
  communityId: string,
  userId: string,
  isBot: boolean,
  name?: string,
): MemberInput {
  return {
    tightknitId: memberId(teamId, userId),
    communityId,
    name: name ?? userId,
    email: null,
    firstName: null,
    lastName: null,
    title: null,
    slackUserId: userId,
    avatarUrl: null,
    timeZone: null,
    status: 'Active',
    isBot,
    joinedAt: null,
    profileUrl: null,
    isPlaceholder: true,
  };
}
