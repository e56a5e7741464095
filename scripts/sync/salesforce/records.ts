import {
  ActivityFields,
  ActivityRelationships,
  CommunityFields,
  FieldLengths,
  MemberFields,
  MemberRelationships,
  SObjects,
  type ContactLinkStatus,
} from '../../generated/sobjects';
import type { ActivityRow, CommunityRow, MemberRow, ObjectKind } from '../store/types';
import { MAX_CSV_CELL, truncate, type Cell } from './csv';

/** What Contact matching decided for one member; `undefined` fields are sent empty (left unchanged). */
export interface LinkDecision {
  contactId?: string | null;
  leadId?: string | null;
  status?: ContactLinkStatus;
  /** The match rule that found the person ("Contact.Email"). */
  rule?: string | null;
}

/** Facts about one record the row builder needs besides the row itself. */
export interface RowEnv {
  /** The record was pushed before: a missing value must now be cleared (#N/A) rather than left empty. */
  inOrg: boolean;
  link?: LinkDecision;
  /** ISO time of this run (Community Last_Synced_At__c). */
  now: string;
}

interface ColumnSpec<R> {
  header: string;
  /** Longest text the field takes (FieldLengths, capped at 32,000 for a CSV cell). */
  max?: number;
  /** An over-long e-mail is cleared, not cut (a cut address is a wrong address). */
  email?: boolean;
  value(row: R, env: RowEnv): Cell;
}

/** How one object kind becomes Salesforce records. */
export interface ObjectSpec<R> {
  kind: ObjectKind;
  sobject: string;
  externalIdField: string;
  columns: ColumnSpec<R>[];
  /** The parent a row's lock contention is about (sort key for lock-retry jobs). */
  parentOf(row: R): string;
}

const ID = 'tightknit__Tightknit_Id__c';
const rel = (relationship: string): string => `${relationship}.${ID}`;

function limit(object: keyof typeof FieldLengths, field: string): number {
  const lengths = FieldLengths[object] as Record<string, number>;
  return Math.min(lengths[field] ?? MAX_CSV_CELL, MAX_CSV_CELL);
}

/** A value that, when missing, clears the field of a record already in the org. */
function opt<T>(value: T | null | undefined, env: RowEnv): T | null | undefined {
  if (value !== null && value !== undefined) return value;
  return env.inOrg ? null : undefined;
}

const C = SObjects.Community;
export const communitySpec: ObjectSpec<CommunityRow> = {
  kind: 'community',
  sobject: C,
  externalIdField: ID,
  parentOf: (r) => r.tightknitId,
  columns: [
    { header: CommunityFields.Tightknit_Id, value: (r) => r.tightknitId },
    { header: CommunityFields.Name, max: limit(C, 'Name'), value: (r) => r.name },
    { header: CommunityFields.Platform, value: (r) => r.platform },
    {
      header: CommunityFields.Slack_Team_Id,
      max: limit(C, CommunityFields.Slack_Team_Id),
      value: (r, e) => opt(r.slackTeamId, e),
    },
    {
      header: CommunityFields.Slack_Domain,
      max: limit(C, CommunityFields.Slack_Domain),
      value: (r, e) => opt(r.slackDomain, e),
    },
    {
      header: CommunityFields.Slack_Url,
      max: limit(C, CommunityFields.Slack_Url),
      value: (r, e) => opt(r.slackUrl, e),
    },
    { header: CommunityFields.Logo_Url, max: limit(C, CommunityFields.Logo_Url), value: (r, e) => opt(r.logoUrl, e) },
    {
      header: CommunityFields.Studio_Url,
      max: limit(C, CommunityFields.Studio_Url),
      value: (r, e) => opt(r.studioUrl, e),
    },
    {
      header: CommunityFields.Description,
      max: limit(C, CommunityFields.Description),
      value: (r, e) => opt(r.description, e),
    },
    { header: CommunityFields.Member_Count, value: (r) => r.memberCount },
    { header: CommunityFields.Last_Synced_At, value: (_r, e) => e.now },
  ],
};

const M = SObjects.Member;
/** Member columns; Contact__c / Lead__c / link status come from matching (empty = unchanged, e.g. a locked link). */
export const memberSpec: ObjectSpec<MemberRow> = {
  kind: 'member',
  sobject: M,
  externalIdField: ID,
  parentOf: (r) => r.communityId,
  columns: [
    { header: MemberFields.Tightknit_Id, value: (r) => r.tightknitId },
    { header: MemberFields.Name, max: limit(M, 'Name'), value: (r) => r.name || r.tightknitId },
    { header: rel(MemberRelationships.Community), value: (r) => r.communityId },
    { header: MemberFields.Email, max: limit(M, MemberFields.Email), email: true, value: (r, e) => opt(r.email, e) },
    { header: MemberFields.First_Name, max: limit(M, MemberFields.First_Name), value: (r, e) => opt(r.firstName, e) },
    { header: MemberFields.Last_Name, max: limit(M, MemberFields.Last_Name), value: (r, e) => opt(r.lastName, e) },
    { header: MemberFields.Title, max: limit(M, MemberFields.Title), value: (r, e) => opt(r.title, e) },
    {
      header: MemberFields.Slack_User_Id,
      max: limit(M, MemberFields.Slack_User_Id),
      value: (r, e) => opt(r.slackUserId, e),
    },
    { header: MemberFields.Avatar_Url, max: limit(M, MemberFields.Avatar_Url), value: (r, e) => opt(r.avatarUrl, e) },
    { header: MemberFields.Time_Zone, max: limit(M, MemberFields.Time_Zone), value: (r, e) => opt(r.timeZone, e) },
    { header: MemberFields.Status, value: (r) => r.status },
    { header: MemberFields.Is_Bot, value: (r) => r.isBot },
    { header: MemberFields.Joined_At, value: (r, e) => opt(r.joinedAt, e) },
    {
      header: MemberFields.Profile_Url,
      max: limit(M, MemberFields.Profile_Url),
      value: (r, e) => opt(r.profileUrl, e),
    },
    { header: MemberFields.Last_Active_At, value: (r, e) => opt(r.lastActiveAt, e) },
    { header: MemberFields.Activity_Count, value: (r) => r.activityCount },
    { header: MemberFields.Engagement_Score, value: (r) => Math.round(r.engagementScore * 100) / 100 },
    { header: MemberFields.Engagement_Level, value: (r) => r.engagementLevel },
    { header: MemberFields.Contact, value: (_r, e) => e.link?.contactId },
    { header: MemberFields.Lead, value: (_r, e) => e.link?.leadId },
    { header: MemberFields.Contact_Link_Status, value: (_r, e) => e.link?.status },
    { header: MemberFields.Contact_Match_Rule, value: (_r, e) => e.link?.rule },
  ],
};

const A = SObjects.Activity;
function activityColumns(withMetadata: boolean): ColumnSpec<ActivityRow>[] {
  const columns: ColumnSpec<ActivityRow>[] = [
    { header: ActivityFields.Tightknit_Id, value: (r) => r.tightknitId },
    { header: rel(ActivityRelationships.Community), value: (r) => r.communityId },
    { header: rel(ActivityRelationships.Member), value: (r) => r.memberId },
    // A relationship column cannot carry #N/A, so a target that disappeared is left as it was.
    { header: rel(ActivityRelationships.Target_Member), value: (r) => r.targetMemberId ?? undefined },
    { header: ActivityFields.Activity_Type, value: (r) => r.activityType },
    { header: ActivityFields.Source_Type, max: limit(A, ActivityFields.Source_Type), value: (r) => r.sourceType },
    { header: ActivityFields.Occurred_At, value: (r) => r.occurredAt },
    {
      header: ActivityFields.Channel_Id,
      max: limit(A, ActivityFields.Channel_Id),
      value: (r, e) => opt(r.channelId, e),
    },
    {
      header: ActivityFields.Channel_Name,
      max: limit(A, ActivityFields.Channel_Name),
      value: (r, e) => opt(r.channelName, e),
    },
    { header: ActivityFields.Thread_Id, max: limit(A, ActivityFields.Thread_Id), value: (r, e) => opt(r.threadId, e) },
    { header: ActivityFields.Permalink, max: limit(A, ActivityFields.Permalink), value: (r, e) => opt(r.permalink, e) },
    { header: ActivityFields.Summary, max: limit(A, ActivityFields.Summary), value: (r, e) => opt(r.summary, e) },
  ];
  if (withMetadata) {
    columns.push({
      header: ActivityFields.Metadata,
      max: limit(A, ActivityFields.Metadata),
      value: (r, e) => opt(r.metadata, e),
    });
  }
  return columns;
}

export function activitySpec(withMetadata: boolean): ObjectSpec<ActivityRow> {
  return {
    kind: 'activity',
    sobject: A,
    externalIdField: ID,
    parentOf: (r) => r.memberId,
    columns: activityColumns(withMetadata),
  };
}

/** Column headers of a spec, in order. */
export function headers<R>(spec: ObjectSpec<R>): string[] {
  return spec.columns.map((c) => c.header);
}

/**
 * One record's cells, every column present. Text longer than the field is cut by the sync (so the org
 * never rejects it with STRING_TOO_LONG) and reported through `truncated`.
 */
export function buildCells<R>(spec: ObjectSpec<R>, row: R, env: RowEnv): { cells: Cell[]; truncated: boolean } {
  let truncated = false;
  const cells = spec.columns.map((col) => {
    const value = col.value(row, env);
    if (typeof value === 'string' && col.max !== undefined && value.length > col.max) {
      truncated = true;
      return col.email ? (env.inOrg ? null : undefined) : truncate(value, col.max);
    }
    return value;
  });
  return { cells, truncated };
}

/**
 * The same record as an sObject Collections body: relationship columns become nested objects,
 * `undefined` is left out (unchanged) and `null` clears.
 */
export function toCollectionRecord(
  sobject: string,
  headerList: readonly string[],
  cells: readonly Cell[],
): Record<string, unknown> {
  const record: Record<string, unknown> = { attributes: { type: sobject } };
  headerList.forEach((header, i) => {
    const value = cells[i];
    if (value === undefined) return;
    const dot = header.indexOf('.');
    if (dot < 0) record[header] = value;
    else if (value !== null) record[header.slice(0, dot)] = { [header.slice(dot + 1)]: value };
  });
  return record;
}
