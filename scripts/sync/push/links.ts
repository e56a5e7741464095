import { SalesforceApiError } from '../salesforce/errors';
import {
  createContacts,
  findLockedMembers,
  findPeople,
  type ContactDraft,
  type MatchingUnavailableError,
} from '../salesforce/matching';
import { truncate } from '../salesforce/csv';
import type { LinkDecision } from '../salesforce/records';
import type { MemberRow, StoredRow } from '../store/types';
import type { RunContext } from './context';
import { applyRules, unmatchedTarget, type LinkTarget, type MatchSubject } from './match-rules';

/**
 * A member about to be pushed, reduced to what matching needs: a backfill holds one per member while the
 * org is queried, so it carries two strings and a flag rather than the whole stored row. The rest of a
 * row (names, title) is read again from the store only for the few members a Contact is created for.
 */
export interface LinkCandidate {
  id: string;
  /** The e-mail to match on; null for members that are never matched (bots, deleted, no e-mail). */
  email: string | null;
  /** The member is already in the org (a link to clear is sent as #N/A rather than left empty). */
  inOrg: boolean;
}

export function linkCandidate(stored: StoredRow<MemberRow>, inOrg: boolean): LinkCandidate {
  const row = stored.row;
  const matchable = !row.isBot && row.status !== 'Deleted' && !stored.deleted && !!row.email;
  return { id: row.tightknitId, email: matchable ? row.email : null, inOrg };
}

const clear = (inOrg: boolean): null | undefined => (inOrg ? null : undefined);

/** The decision for a locked link: every cell empty, which Bulk API leaves unchanged. */
const UNCHANGED: LinkDecision = Object.freeze({});

/**
 * Contact matching before the member push (design.md "Contact matching", docs/sync.md "Links that follow
 * the CRM"): locked links are never touched; bots and deleted members are never matched; otherwise the
 * match rules in order (Contact rules, then Lead rules); a member no Contact rule finds gets a new Contact
 * when "Create Contacts" is on (Created, once ever per member). When a rule cannot run for lack of access,
 * the members it left undecided keep their links and wait for the first run after the fix. Makes no call
 * when there is nothing to match.
 */
export async function decideLinks(
  ctx: RunContext,
  members: readonly LinkCandidate[],
): Promise<Map<string, LinkDecision>> {
  const decisions = new Map<string, LinkDecision>();
  if (members.length === 0) return decisions;
  // A member may be in the org (and locked) before this sync ever pushed it: every candidate is asked for.
  const ids = members.map((m) => m.id);
  const locked = await findLockedMembers(ctx.http, ids.length <= LOCK_QUERY_BY_ID ? ids : undefined);
  const inOrg = new Map(members.map((m) => [m.id, m.inOrg]));
  const eligible: MatchSubject[] = [];
  const saved: Array<LinkTarget & { memberId: string }> = [];
  const decide = (id: string, t: LinkTarget): void => {
    const clearIfInOrg = clear(inOrg.get(id) === true);
    decisions.set(id, {
      contactId: t.contactId ?? clearIfInOrg,
      leadId: t.leadId ?? clearIfInOrg,
      status: t.status,
      rule: t.rule ?? clearIfInOrg,
    });
    saved.push({ memberId: id, ...t });
  };
  for (const m of members) {
    if (locked.has(m.id)) decisions.set(m.id, UNCHANGED);
    // Never matched (bots, deleted members, no e-mail): recorded with no value, so no CRM change finds them.
    else if (m.email === null) decide(m.id, unmatchedTarget(null));
    else eligible.push({ id: m.id, email: m.email.toLowerCase() });
  }
  const waitFor = async (err: MatchingUnavailableError, undecided: readonly MatchSubject[]): Promise<void> => {
    await ctx.matchingUnavailable(
      err,
      undecided.map((m) => m.id),
    );
    for (const m of undecided) decisions.set(m.id, UNCHANGED);
  };
  if (eligible.length > 0) {
    const contacts = await applyRules(ctx, eligible, 'Contact');
    for (const [id, t] of contacts.found) decide(id, t);
    if (contacts.unavailable) await waitFor(contacts.unavailable, contacts.rest);
    else {
      let noContact = contacts.rest;
      if (ctx.config.createContacts && noContact.length > 0) {
        noContact = await createForMembers(ctx, contacts.contactField ?? 'Email', noContact, decisions, inOrg);
      }
      const leads = await applyRules(ctx, noContact, 'Lead');
      for (const [id, t] of leads.found) decide(id, t);
      if (leads.unavailable) await waitFor(leads.unavailable, leads.rest);
      else for (const m of leads.rest) decide(m.id, unmatchedTarget(m.email));
    }
  }
  await ctx.ledger.saveContactLinks(ctx.runId, saved);
  // These members were decided now: a full look-up they waited for is no longer owed.
  await ctx.matchLedger.removeWaiting(saved.map((l) => l.memberId));
  return decisions;
}

/** Up to this many members in the org, locks are asked for by id; beyond, one query lists every locked member. */
export const LOCK_QUERY_BY_ID = 2_000;

/**
 * Creates one Contact per distinct matching value. The intent is written to the ledger first; if the
 * answer to a create call is lost, the e-mails are looked up again before anything is created again, so
 * a crash or a dropped connection never leaves two Contacts for one member. Returns members still
 * without a Contact (creation refused, e.g. by a duplicate rule).
 */
async function createForMembers(
  ctx: RunContext,
  field: string,
  members: readonly MatchSubject[],
  decisions: Map<string, LinkDecision>,
  inOrg: ReadonlyMap<string, boolean>,
): Promise<MatchSubject[]> {
  const byEmail = new Map<string, MatchSubject[]>();
  for (const m of members) {
    const email = m.email.toLowerCase();
    byEmail.set(email, [...(byEmail.get(email) ?? []), m]);
  }
  await ctx.ledger.markContactIntent(
    ctx.runId,
    members.map((m) => ({ memberId: m.id, matchValue: m.email.toLowerCase() })),
  );
  const link = async (email: string, contactId: string): Promise<void> => {
    const group = byEmail.get(email) ?? [];
    for (const m of group)
      decisions.set(m.id, {
        contactId,
        leadId: clear(inOrg.get(m.id) === true),
        status: 'Created',
        rule: clear(inOrg.get(m.id) === true),
      });
    await ctx.ledger.saveContactLinks(
      ctx.runId,
      group.map((m) => ({
        memberId: m.id,
        matchValue: email,
        status: 'Created',
        contactId,
        leadId: null,
        createdContactId: contactId,
      })),
    );
    // An earlier refusal to create a Contact for these members is now fixed.
    await ctx.ledger.resolveFailures(
      ctx.runId,
      'contact',
      group.map((m) => m.id),
    );
    byEmail.delete(email);
  };

  const refused: MatchSubject[] = [];
  for (let attempt = 0; attempt < 3 && byEmail.size > 0; attempt++) {
    if (attempt > 0) {
      // The last answer was lost: whatever that call created is found by its e-mail, not created twice.
      const found = await findPeople(ctx.http, 'Contact', field, [...byEmail.keys()]);
      for (const [email, hits] of found) if (byEmail.has(email)) await link(email, hits[0].id);
      if (byEmail.size === 0) break;
    }
    const drafts: ContactDraft[] = [];
    for (const [email, group] of byEmail) drafts.push(draftFor(field, email, await memberRow(ctx, group[0])));
    let outcomes;
    try {
      outcomes = await createContacts(ctx.http, drafts);
    } catch (err) {
      if (err instanceof SalesforceApiError && (err.status === 0 || err.status >= 500)) continue;
      throw err;
    }
    const failures: Array<readonly [string, string]> = [];
    for (const o of outcomes) {
      if ('id' in o) await link(o.key, o.id);
      else {
        for (const m of byEmail.get(o.key) ?? []) {
          refused.push(m);
          failures.push([m.id, o.error]);
        }
        byEmail.delete(o.key);
      }
    }
    if (failures.length > 0) await ctx.ledger.recordFailures(ctx.runId, null, 'contact', failures);
  }
  for (const group of byEmail.values()) refused.push(...group);
  return refused;
}

/** The stored member a Contact is drafted from (names and title are not kept in the candidate). */
async function memberRow(
  ctx: RunContext,
  m: MatchSubject,
): Promise<Pick<MemberRow, 'name' | 'email' | 'firstName' | 'lastName' | 'title'>> {
  const row = (await ctx.store.getMember(m.id))?.row;
  return row ?? { name: '', email: m.email, firstName: null, lastName: null, title: null };
}

function draftFor(
  field: string,
  email: string,
  row: Pick<MemberRow, 'name' | 'email' | 'firstName' | 'lastName' | 'title'>,
): ContactDraft {
  const fallbackLast = row.name || email.split('@')[0] || 'Community Member';
  const fields: Record<string, string | null> = {
    FirstName: row.firstName ? truncate(row.firstName, 40) : null,
    LastName: truncate(row.lastName || fallbackLast, 80),
    Title: row.title ? truncate(row.title, 128) : null,
    [field]: row.email,
  };
  if (field.toLowerCase() !== 'email') fields.Email = row.email;
  return { key: email, fields };
}
