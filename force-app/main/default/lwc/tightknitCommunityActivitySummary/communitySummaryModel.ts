import { formatLabel } from 'c/tightknitLdsUtils';
import { sparklineGeometry } from './sparkline';

/** TightknitCommunityActivitySummaryController.RankedMember. */
export type RankedMember = {
  memberId: string;
  name?: string;
  title?: string;
  avatarUrl?: string;
  engagementLevel?: string;
  contactId?: string;
  contactName?: string;
  rank: number;
  activityCount: number;
  weekly?: number[];
};

/** TightknitCommunityActivitySummaryController.Summary. */
export type CommunitySummary = { windowDays: number; weeks: number; members: RankedMember[] };

/** The windows the controller accepts, in days. */
const WINDOWS: readonly number[] = [30, 90, 180];

/** A window from a design-property value; 30 days when the value is not one of WINDOWS. */
export function windowFrom(value: unknown): number {
  const parsed = Number.parseInt(String(value ?? ''), 10);
  return WINDOWS.includes(parsed) ? parsed : 30;
}

/** Combobox options for the windows. */
export function windowOptions(template: string): { label: string; value: string }[] {
  return WINDOWS.map((days) => ({ label: formatLabel(template, days), value: String(days) }));
}

/** Rows for the ranking table, each with its sparkline geometry and accessible name. */
export function rankedRows(members: readonly RankedMember[], sparkLabelTemplate: string) {
  return members.map((member) => {
    const weekly = member.weekly ?? [];
    const geometry = sparklineGeometry(weekly);
    const name = member.name || member.memberId;
    return {
      ...member,
      displayName: name,
      points: geometry.points,
      lastX: geometry.lastX,
      lastY: geometry.lastY,
      sparkLabel: formatLabel(sparkLabelTemplate, name, geometry.total, weekly.length, geometry.max),
    };
  });
}
