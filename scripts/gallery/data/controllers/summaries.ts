import type { AccountMemberRow, AccountSummary, CommunitySummary, Dto, RankedMember } from '../contract';
import { AuraHandledError, datetime, num, pageSize, rel, requireRecordId, str, type CallContext } from '../aura';
import { countsLastNDays, membersByIds, membersForAccount, topMembers, weeklyCounts } from '../selectors';

/** TightknitAccountActivitySummaryController.MAX_MEMBERS. */
const ACCOUNT_MAX_MEMBERS = 200;
const COMMUNITY_MAX_MEMBERS = 25;
const WINDOWS = [30, 90, 180];
const DAY = 86_400_000;

/** TightknitAccountActivitySummaryController.getSummary. */
export async function accountSummary(
  ctx: CallContext,
  p: { accountId: string | null },
): Promise<Dto<typeof AccountSummary>> {
  const accountId = await requireRecordId(ctx, p.accountId, ['Account']);
  const summary: Dto<typeof AccountSummary> = {
    rows: [],
    memberCount: 0,
    contactCount: 0,
    activities30d: 0,
    activities90d: 0,
    activitiesAllTime: 0,
    lastActiveAt: null,
    truncated: false,
    maxMembers: ACCOUNT_MAX_MEMBERS,
  };
  const members = await membersForAccount(ctx, accountId, ACCOUNT_MAX_MEMBERS + 1);
  if (members.length > ACCOUNT_MAX_MEMBERS) {
    summary.truncated = true;
    members.length = ACCOUNT_MAX_MEMBERS;
  }
  if (members.length === 0) return summary;
  const ids = new Set(members.map((m) => String(m.Id)));
  const last30 = await countsLastNDays(ctx, ids, 30);
  const last90 = await countsLastNDays(ctx, ids, 90);
  summary.rows = members.map((m): Dto<typeof AccountMemberRow> => {
    const a90 = last90.get(String(m.Id)) ?? 0;
    return {
      memberId: str(m.Id),
      memberName: str(m.Name),
      contactId: str(m.Contact__c),
      contactName: str(rel(m, 'Contact__r')?.Name),
      communityId: str(m.Community__c),
      communityName: str(rel(m, 'Community__r')?.Name),
      activities30d: last30.get(String(m.Id)) ?? 0,
      activities90d: a90,
      // As in Apex: the sync's all-time count never shows fewer than the windows counted here.
      activitiesAllTime: Math.max(Math.trunc(num(m.Activity_Count__c) ?? 0), a90),
      lastActiveAt: datetime(m.Last_Active_At__c),
      engagementLevel: str(m.Engagement_Level__c),
      engagementScore: num(m.Engagement_Score__c),
    };
  });
  const contacts = new Set<string | null>();
  for (const row of summary.rows) {
    contacts.add(row.contactId);
    summary.activities30d = (summary.activities30d ?? 0) + (row.activities30d ?? 0);
    summary.activities90d = (summary.activities90d ?? 0) + (row.activities90d ?? 0);
    summary.activitiesAllTime = (summary.activitiesAllTime ?? 0) + (row.activitiesAllTime ?? 0);
    if (row.lastActiveAt && (!summary.lastActiveAt || row.lastActiveAt > summary.lastActiveAt))
      summary.lastActiveAt = row.lastActiveAt;
  }
  summary.memberCount = summary.rows.length;
  summary.contactCount = contacts.size;
  return summary;
}

/** Date.today().addDays(-windowDays + 1) at 00:00 GMT: the first day of the window. */
function firstDayOf(now: Date, windowDays: number): Date {
  const today = Math.floor(now.getTime() / DAY) * DAY;
  return new Date(today - (windowDays - 1) * DAY);
}

/**
 * TightknitCommunityActivitySummaryController.weekStarts: the WEEK_IN_YEAR blocks (7 days from 1 January,
 * the year's last block shorter) from the one holding `first` to the one holding `last`, as UTC day starts.
 */
function weekStarts(first: Date, last: Date): number[] {
  const blockStart = (t: number): number => {
    const jan1 = Date.UTC(new Date(t).getUTCFullYear(), 0, 1);
    return jan1 + Math.floor((t - jan1) / (7 * DAY)) * 7 * DAY;
  };
  const starts: number[] = [];
  for (let start = blockStart(first.getTime()); start <= last.getTime();) {
    starts.push(start);
    const year = new Date(start).getUTCFullYear();
    const next = start + 7 * DAY;
    start = new Date(next).getUTCFullYear() === year ? next : Date.UTC(year + 1, 0, 1);
  }
  return starts;
}

/** TightknitCommunityActivitySummaryController.getTopMembers, with weekly counts oldest week first. */
export async function communityTopMembers(
  ctx: CallContext,
  p: { communityId: string | null; windowDays: number | null; maxMembers: number | null },
): Promise<Dto<typeof CommunitySummary>> {
  const communityId = await requireRecordId(ctx, p.communityId, ['Community__c']);
  if (p.windowDays === null || !WINDOWS.includes(p.windowDays))
    throw new AuraHandledError('The time window must be 30, 90 or 180 days.');
  const size = pageSize(p.maxMembers, 10, COMMUNITY_MAX_MEMBERS);
  const since = firstDayOf(ctx.now, p.windowDays);
  const starts = weekStarts(since, ctx.now);
  const weeks = starts.length;
  const summary: Dto<typeof CommunitySummary> = { windowDays: p.windowDays, weeks, members: [] };
  const ranked = await topMembers(ctx, communityId, since, size);
  if (ranked.length === 0) return summary;
  const ids = new Set(ranked.map((r) => r.memberId));
  const buckets = new Map([...ids].map((id) => [id, new Array<number>(weeks).fill(0)]));
  for (const row of await weeklyCounts(ctx, communityId, ids, since)) {
    const start = Date.UTC(row.yr, 0, 1) + (row.wk - 1) * 7 * DAY;
    const found = starts.indexOf(start);
    const index = found >= 0 ? found : start < starts[0] ? 0 : weeks - 1;
    const counts = buckets.get(row.memberId);
    if (counts) counts[index] += row.total;
  }
  const members = await membersByIds(ctx, ids);
  summary.members = ranked.map((r, i): Dto<typeof RankedMember> => {
    const m = members.get(r.memberId);
    return {
      memberId: r.memberId,
      name: str(m?.Name),
      title: str(m?.Title__c),
      avatarUrl: str(m?.Avatar_Url__c),
      engagementLevel: str(m?.Engagement_Level__c),
      contactId: str(m?.Contact__c),
      contactName: m ? str(rel(m, 'Contact__r')?.Name) : null,
      rank: i + 1,
      activityCount: r.total,
      weekly: buckets.get(r.memberId) ?? [],
    };
  });
  return summary;
}
