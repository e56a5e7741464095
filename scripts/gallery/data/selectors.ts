import { rel, str, userModeQuery, type CallContext } from './aura';
import { activityTypeLabel, inList, quote, type ApexRecord } from './soql';
import type { Dto, ActivityRow, ActivityPage } from './contract';
import { datetime } from './aura';

/*
 * The queries of TightknitActivitySelector and TightknitMemberSelector, in the emulator's SOQL. Its subset
 * has no bind variables (values are quoted in), no semi-joins (two queries instead), no toLabel (labels
 * come from the package source) and no aggregates: COUNT ... GROUP BY is counted here from the same
 * filtered rows.
 */

const ACTIVITY_ROW_FIELDS =
  'Id, Name, Activity_Type__c, Source_Type__c, Occurred_At__c, Summary__c, Channel_Id__c, Channel_Name__c, ' +
  'Thread_Id__c, Permalink__c, Metadata__c, Member__c, Member__r.Name, Target_Member__c, Target_Member__r.Name, ' +
  'Community__c, Community__r.Name';

const PERSON_MEMBER_FIELDS =
  'Id, Name, Title__c, Email__c, Avatar_Url__c, Slack_User_Id__c, Profile_Url__c, Joined_At__c, Last_Active_At__c, ' +
  'Activity_Count__c, Engagement_Level__c, Contact__c, Lead__c, Contact_Link_Status__c, Community__c, ' +
  'Community__r.Name, Community__r.Logo_Url__c, Community__r.Studio_Url__c';

const DAY = 86_400_000;

/** TightknitActivitySelector.byId. */
export async function activityById(ctx: CallContext, activityId: string): Promise<ApexRecord | null> {
  const found = await userModeQuery(
    ctx,
    `SELECT ${ACTIVITY_ROW_FIELDS} FROM Activity__c WHERE Id = ${quote(activityId)} LIMIT 1`,
  );
  return found[0] ?? null;
}

/** TightknitActivitySelector.pageForMembers: newest first, one row more than the page. */
export async function pageForMembers(
  ctx: CallContext,
  memberIds: Set<string>,
  size: number,
  skip: number,
): Promise<ApexRecord[]> {
  return userModeQuery(
    ctx,
    `SELECT ${ACTIVITY_ROW_FIELDS} FROM Activity__c WHERE Member__c IN ${inList(memberIds)} ` +
      `ORDER BY Occurred_At__c DESC, Id DESC LIMIT ${size + 1} OFFSET ${skip}`,
  );
}

function countBy(rows: ApexRecord[], field: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = String(r[field]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** countsLast30Days / countsLast90Days: activity counts per member over LAST_N_DAYS:n. */
export async function countsLastNDays(
  ctx: CallContext,
  memberIds: Set<string>,
  days: number,
): Promise<Map<string, number>> {
  const rows = await userModeQuery(
    ctx,
    `SELECT Member__c FROM Activity__c WHERE Member__c IN ${inList(memberIds)} AND Occurred_At__c = LAST_N_DAYS:${days}`,
  );
  return countBy(rows, 'Member__c');
}

/** TightknitActivitySelector.topMembers: the most active human members since `since`, highest count first. */
export async function topMembers(
  ctx: CallContext,
  communityId: string,
  since: Date,
  max: number,
): Promise<Array<{ memberId: string; total: number }>> {
  const rows = await userModeQuery(
    ctx,
    `SELECT Member__c FROM Activity__c WHERE Community__c = ${quote(communityId)} AND ` +
      `Occurred_At__c >= ${since.toISOString().replace('.000Z', 'Z')} AND Member__r.Is_Bot__c = false`,
  );
  return [...countBy(rows, 'Member__c')]
    .map(([memberId, total]) => ({ memberId, total }))
    .sort((a, b) => b.total - a.total)
    .slice(0, max);
}

/** WEEK_IN_YEAR as SOQL defines it: 7-day blocks counted from 1 January (1-based), in UTC. */
function weekInYear(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / (7 * DAY)) + 1;
}

/** TightknitActivitySelector.weeklyCounts: counts per member, CALENDAR_YEAR and WEEK_IN_YEAR. */
export async function weeklyCounts(
  ctx: CallContext,
  communityId: string,
  memberIds: Set<string>,
  since: Date,
): Promise<Array<{ memberId: string; yr: number; wk: number; total: number }>> {
  const rows = await userModeQuery(
    ctx,
    `SELECT Member__c, Occurred_At__c FROM Activity__c WHERE Community__c = ${quote(communityId)} AND ` +
      `Member__c IN ${inList(memberIds)} AND Occurred_At__c >= ${since.toISOString().replace('.000Z', 'Z')}`,
  );
  const groups = new Map<string, { memberId: string; yr: number; wk: number; total: number }>();
  for (const r of rows) {
    const at = new Date(String(r.Occurred_At__c));
    const key = `${String(r.Member__c)}|${at.getUTCFullYear()}|${weekInYear(at)}`;
    const g = groups.get(key) ?? {
      memberId: String(r.Member__c),
      yr: at.getUTCFullYear(),
      wk: weekInYear(at),
      total: 0,
    };
    g.total++;
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** TightknitMemberSelector.visiblePerson: the Contact or Lead with its Email, or null. */
export async function visiblePerson(
  ctx: CallContext,
  personId: string,
  object: 'Contact' | 'Lead',
): Promise<ApexRecord | null> {
  const found = await userModeQuery(ctx, `SELECT Id, Email FROM ${object} WHERE Id = ${quote(personId)} LIMIT 1`);
  return found[0] ?? null;
}

/** TightknitMemberSelector.forPerson: members linked by lookup or sharing the email; bots excluded. */
export async function membersForPerson(
  ctx: CallContext,
  personId: string,
  email: string | null,
): Promise<ApexRecord[]> {
  const byEmail = email ? ` OR (Email__c != null AND Email__c = ${quote(email)})` : '';
  return userModeQuery(
    ctx,
    `SELECT ${PERSON_MEMBER_FIELDS} FROM Member__c WHERE Is_Bot__c = false AND ` +
      `(Contact__c = ${quote(personId)} OR Lead__c = ${quote(personId)}${byEmail}) ` +
      'ORDER BY Last_Active_At__c DESC NULLS LAST LIMIT 50',
  );
}

/** TightknitMemberSelector.forAccount: members of the Account's Contacts, most recently active first. */
export async function membersForAccount(ctx: CallContext, accountId: string, maxRows: number): Promise<ApexRecord[]> {
  const contacts = await userModeQuery(ctx, `SELECT Id FROM Contact WHERE AccountId = ${quote(accountId)}`);
  return userModeQuery(
    ctx,
    'SELECT Id, Name, Contact__c, Contact__r.Name, Community__c, Community__r.Name, Activity_Count__c, ' +
      'Last_Active_At__c, Engagement_Level__c, Engagement_Score__c FROM Member__c ' +
      `WHERE Contact__c IN ${inList(contacts.map((c) => String(c.Id)))} AND Is_Bot__c = false ` +
      `ORDER BY Last_Active_At__c DESC NULLS LAST LIMIT ${maxRows}`,
  );
}

/** TightknitMemberSelector.byIds. */
export async function membersByIds(ctx: CallContext, memberIds: Set<string>): Promise<Map<string, ApexRecord>> {
  const rows = await userModeQuery(
    ctx,
    'SELECT Id, Name, Title__c, Avatar_Url__c, Engagement_Level__c, Contact__c, Contact__r.Name FROM Member__c ' +
      `WHERE Id IN ${inList(memberIds)}`,
  );
  return new Map(rows.map((r) => [String(r.Id), r]));
}

/** TightknitMemberSelector.forStudioLink. */
export async function memberForStudioLink(ctx: CallContext, memberId: string): Promise<ApexRecord | null> {
  const found = await userModeQuery(
    ctx,
    'SELECT Id, Name, Slack_User_Id__c, Profile_Url__c, Community__c, Community__r.Name, Community__r.Studio_Url__c ' +
      `FROM Member__c WHERE Id = ${quote(memberId)} LIMIT 1`,
  );
  return found[0] ?? null;
}

/** TightknitActivityRows.toRow. */
export function toRow(record: ApexRecord): Dto<typeof ActivityRow> {
  return {
    id: str(record.Id),
    name: str(record.Name),
    type: activityTypeLabel(record.Activity_Type__c),
    sourceType: str(record.Source_Type__c),
    occurredAt: datetime(record.Occurred_At__c),
    summary: str(record.Summary__c),
    channelName: str(record.Channel_Name__c),
    permalink: str(record.Permalink__c),
    memberId: str(record.Member__c),
    memberName: str(rel(record, 'Member__r')?.Name),
    targetMemberId: str(record.Target_Member__c),
    targetMemberName: str(rel(record, 'Target_Member__r')?.Name),
    communityId: str(record.Community__c),
    communityName: str(rel(record, 'Community__r')?.Name),
  };
}

/** TightknitActivityRows.toPage: the selector's extra row only tells that more exist. */
export function toPage(records: ApexRecord[], pageNumber: number | null, size: number): Dto<typeof ActivityPage> {
  return {
    rows: records.slice(0, size).map(toRow),
    pageNumber: pageNumber ?? 1,
    pageSize: size,
    hasMore: records.length > size,
  };
}
