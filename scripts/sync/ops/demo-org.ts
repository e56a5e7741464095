import { ActivityFields, MemberFields, SObjects } from '../../generated/sobjects';
import type { AsyncStore } from '../store';

/** The emulator's direct data access, as the demo needs it (test set-up and read-back). */
export interface DemoOrgData {
  records(sobject: string): Array<Record<string, unknown>>;
  insert(sobject: string, rows: Array<Record<string, unknown>>): string[];
}

const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'outlook.com',
  'hotmail.com',
  'icloud.com',
  'proton.me',
  'example.com',
]);

export interface SeedResult {
  accounts: number;
  contacts: number;
  duplicateEmail?: string;
  leads: number;
}

/** Drops undefined and null values (the org rejects them as field values). */
function compact(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined && v !== null));
}

function companyName(domain: string): string {
  const label = domain.split('.')[0];
  return label.charAt(0).toUpperCase() + label.slice(1);
}

function personName(m: { name: string; firstName: string | null; lastName: string | null }): {
  FirstName?: string;
  LastName: string;
} {
  if (m.firstName || m.lastName) return { FirstName: m.firstName ?? undefined, LastName: m.lastName ?? m.name };
  const parts = m.name.trim().split(/\s+/);
  return parts.length > 1
    ? { FirstName: parts.slice(0, -1).join(' '), LastName: parts[parts.length - 1] }
    : { LastName: m.name };
}

/**
 * Seeds the org with what a customer's CRM would already hold: an Account per company email domain
 * (the largest eight), Contacts for about three members in four, one email on two Contacts (the
 * "Multiple Matches" case) and a Lead for one member no Contact matches.
 */
export async function seedCrm(org: DemoOrgData, store: AsyncStore): Promise<SeedResult> {
  const members = (await store.changedMembers(0, 100_000))
    .filter((m) => !m.deleted && !m.row.isBot && m.row.email)
    .map((m) => m.row);
  const domainOf = (email: string): string => email.split('@')[1]?.toLowerCase() ?? '';
  const perDomain = new Map<string, number>();
  for (const m of members) {
    const d = domainOf(m.email ?? '');
    if (d && !FREE_MAIL.has(d)) perDomain.set(d, (perDomain.get(d) ?? 0) + 1);
  }
  let domains = [...perDomain.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([d]) => d);
  // A community of personal addresses still gets a few Accounts to roll up to.
  const fallback = domains.length === 0;
  if (fallback) domains = ['acme.example', 'globex.example', 'initech.example'];
  const accountIds = org.insert(
    'Account',
    domains.map((d) => ({ Name: companyName(d), Website: d })),
  );
  const accountOf = new Map(domains.map((d, i) => [d, accountIds[i]]));
  const contacts: Array<Record<string, unknown>> = [];
  const unmatched: typeof members = [];
  members.forEach((m, i) => {
    if (i % 4 === 3) {
      unmatched.push(m);
      return;
    }
    const accountId = fallback ? accountIds[i % accountIds.length] : accountOf.get(domainOf(m.email ?? ''));
    contacts.push(compact({ ...personName(m), Email: m.email, Title: m.title, AccountId: accountId }));
  });
  let duplicateEmail: string | undefined;
  const dup = contacts.find((c) => c.AccountId);
  if (dup) {
    duplicateEmail = String(dup.Email);
    contacts.push({ ...dup, LastName: `${String(dup.LastName)} (old record)` });
  }
  org.insert('Contact', contacts);
  let leads = 0;
  const lead = unmatched[0];
  if (lead?.email) {
    org.insert('Lead', [
      { ...personName(lead), Email: lead.email, Company: companyName(domainOf(lead.email) || 'hooli.example') },
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
  const out: Record<string, number> = { Matched: 0, 'Multiple Matches': 0, Created: 0, Manual: 0, Unmatched: 0 };
  for (const m of org.records(SObjects.Member)) {
    const status = str(m[MemberFields.Contact_Link_Status], 'Unmatched');
    out[status] = (out[status] ?? 0) + 1;
    if (m[MemberFields.Lead]) out['linked to a Lead'] = (out['linked to a Lead'] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).filter(([, n]) => n > 0));
}
