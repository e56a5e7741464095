import type { MemberInput } from './store';

/**
 * What a member whose person was deleted keeps of its personal fields: nothing, and the status Deleted.
 * The row itself stays, so history and counts keep their member (the store marks its activities deleted),
 * and the org keeps a record with status Deleted.
 */
export const DELETED_PERSON = {
  email: null,
  firstName: null,
  lastName: null,
  title: null,
  avatarUrl: null,
  timeZone: null,
  profileUrl: null,
  status: 'Deleted',
} as const satisfies Partial<MemberInput>;

/**
 * A member as a source writes it once its person is deleted: DELETED_PERSON, named after the Slack user id
 * when there is one. Every source deletes members this way.
 */
export function anonymizedMember(m: Omit<MemberInput, keyof typeof DELETED_PERSON | 'name'>): MemberInput {
  return { ...m, name: m.slackUserId ? `Deleted user ${m.slackUserId}` : 'Deleted user', ...DELETED_PERSON };
}
