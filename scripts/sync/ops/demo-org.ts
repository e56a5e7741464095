import { ActivityFields, MemberFields, SObjects } from '../../generated/sobjects';
import type { Store } from '../store';

/** The emulator's direct data access, as the demo needs it (test set-up and read-back). */
export interface DemoOrgData {
  records(sobject: string): Array<Record<string, unknown>>;
  insert(sobject: string, rows: Array<Record<string, unknown>>): string[];
}

const ACCOUNTS = ['Acme Analytics', 'Globex Cloud', 'Initech Systems', 'Umbrella Health', 'Stark Robotics'];

export interface SeedResult {
  accounts: number;
  contacts: number;
  duplicateEmail?: string;
  leads: number;
}

/**
 * Seeds the org with what a customer's CRM would already hold: Accounts, Contacts for about three
 * members in four (by their email), one email on two Contacts (the "Multiple Matches" case) and a
 * Lead for one member no Contact matches.
 */
export function seedCrm(org: DemoOrgData, store: Store): SeedResult {
  const members = store
    .changedMembers(0, 100_000)
    .filter((m) => !m.deleted && !m.row.isBot && m.row.email)
    .map((m) => m.row);
  const accountIds = org.insert(
    'Account',
    ACCOUNTS.map((Name) => ({ Name })),
  );
  const contacts: Array<Record<string, unknown>> = [];
  const unmatched: typeof members = [];
  members.forEach((m, i) => {
    if (i % 4 === 3) {
      unmatched.push(m);
      return;
    }
    contacts.push({
      FirstName: m.firstName ?? m.name.split(' ')[0],
      LastName: m.lastName ?? (m.name.split(' ').slice(1).join(' ') || m.name),
      Email: m.email,
      Title: m.title,
      AccountId: accountIds[i % accountIds.length],
    });
  });
  let duplicateEmail: string | undefined;
  if (contacts.length > 0) {
    const dup = contacts[0];
    duplicateEmail = String(dup.Email);
    contacts.push({
      ...dup,
      LastName: `${String(dup.LastName)} (old record)`,
      AccountId: accountIds[1 % accountIds.length],
    });
  }
  org.insert('Contact', contacts);
  let leads = 0;
  const lead = unmatched[0];
  if (lead?.email) {
    org.insert('Lead', [
      { LastName: lead.lastName ?? lead.name, FirstName: lead.firstName, Email: lead.email, Company: 'Hooli' },
    ]);
    leads = 1;
  }
  return { accounts: accountIds.length, contacts: contacts.length, duplicateEmail, leads };
}

export interface AccountEngagement {
  name: string;
  members: number;
  score: number;
}

export interface ContactActivity {
  contactName: string;
  email: string;
  score: number;
  level: string;
  activities: Array<{ occurredAt: string; type: string; summary: string }>;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0) || 0);
/** A record value as text ('' for null and non-scalars). */
const str = (v: unknown, fallback = ''): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback;

/** Top Accounts as the roll-up computes them: the sum of member scores per Account, through Contact. */
export function topAccounts(org: DemoOrgData, limit = 5): AccountEngagement[] {
  const accountOfContact = new Map(
    org.records('Contact').map((c) => [String(c.Id), c.AccountId as string | undefined]),
  );
  const names = new Map(org.records('Account').map((a) => [String(a.Id), String(a.Name)]));
  const totals = new Map<string, AccountEngagement>();
  for (const m of org.records(SObjects.Member)) {
    const accountId = accountOfContact.get(str(m[MemberFields.Contact]));
    if (!accountId) continue;
    const t = totals.get(accountId) ?? { name: names.get(accountId) ?? accountId, members: 0, score: 0 };
    t.members += 1;
    t.score += num(m[MemberFields.Engagement_Score]);
    totals.set(accountId, t);
  }
  return [...totals.values()]
    .map((t) => ({ ...t, score: Math.round(t.score * 100) / 100 }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

/** The most engaged linked member's Contact and its latest activities, as the Contact page shows them. */
export function contactActivity(org: DemoOrgData, limit = 5): ContactActivity | undefined {
  const contacts = new Map(org.records('Contact').map((c) => [String(c.Id), c]));
  const linked = org
    .records(SObjects.Member)
    .filter((m) => contacts.has(str(m[MemberFields.Contact])))
    .sort((a, b) => num(b[MemberFields.Engagement_Score]) - num(a[MemberFields.Engagement_Score]));
  const member = linked[0];
  if (!member) return undefined;
  const contact = contacts.get(String(member[MemberFields.Contact])) ?? {};
  const activities = org
    .records(SObjects.Activity)
    .filter((a) => a[ActivityFields.Member] === member.Id)
    .sort((a, b) => String(b[ActivityFields.Occurred_At]).localeCompare(String(a[ActivityFields.Occurred_At])))
    .slice(0, limit)
    .map((a) => ({
      occurredAt: String(a[ActivityFields.Occurred_At]),
      type: String(a[ActivityFields.Activity_Type]),
      summary: str(a[ActivityFields.Summary]),
    }));
  return {
    contactName: [contact.FirstName, contact.LastName].filter(Boolean).join(' '),
    email: str(contact.Email),
    score: num(member[MemberFields.Engagement_Score]),
    level: str(member[MemberFields.Engagement_Level], 'None'),
    activities,
  };
}

/** How members were linked to the CRM: Contact link statuses, plus members linked to a Lead. */
export function linkStatuses(org: DemoOrgData): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of org.records(SObjects.Member)) {
    const status = str(m[MemberFields.Contact_Link_Status], 'Unmatched');
    out[status] = (out[status] ?? 0) + 1;
    if (m[MemberFields.Lead]) out['linked to a Lead'] = (out['linked to a Lead'] ?? 0) + 1;
  }
  return out;
}
