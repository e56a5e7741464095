import { SalesforceApiError } from '../salesforce/errors';
import {
  createContacts,
  findContacts,
  findLeads,
  findLockedMembers,
  ObjectNotReadableError,
  validateMatchingField,
  type ContactDraft,
  type PersonHit,
} from '../salesforce/matching';
import { truncate } from '../salesforce/csv';
import type { LinkDecision } from '../salesforce/records';
import type { MemberRow, StoredRow } from '../store/types';
import type { RunContext } from './context';

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

/** Decisions without a Salesforce id are the same for every member in the same position: shared, not one per member. */
const UNCHANGED: LinkDecision = Object.freeze({});
const UNMATCHED: Record<'inOrg' | 'new', LinkDecision> = {
  inOrg: Object.freeze({ contactId: null, leadId: null, status: 'Unmatched' }),
  new: Object.freeze({ contactId: undefined, leadId: undefined, status: 'Unmatched' }),
};
const unmatched = (inOrg: boolean): LinkDecision => UNMATCHED[inOrg ? 'inOrg' : 'new'];

/**
 * Contact matching before the member push (design.md "Contact matching"):
 * locked links are never touched; bots and deleted members are never matched; otherwise one Contact with
 * the same matching value (case-insensitive) → Matched, several → the most recently modified, Multiple
 * Matches; none → a new Contact when "Create Contacts" is on (Created, once ever per member), else
 * Unmatched, with a Lead link when Lead matching is on. Makes no call when there is nothing to match.
 */
export async function decideLinks(
  ctx: RunContext,
  members: readonly LinkCandidate[],
): Promise<Map<string, LinkDecision>> {
  const decisions = new Map<string, LinkDecision>();
  if (members.length === 0) return decisions;
  const locked = await findLockedMembers(ctx.http);
  const eligible: Array<LinkCandidate & { email: string }> = [];
  for (const m of members) {
    if (locked.has(m.id)) decisions.set(m.id, UNCHANGED);
    else if (m.email === null) decisions.set(m.id, unmatched(m.inOrg));
    else eligible.push(m as LinkCandidate & { email: string });
  }
  if (eligible.length === 0) return decisions;

  let field: string;
  let contacts: Map<string, PersonHit[]>;
  try {
    field = (await validateMatchingField(ctx.http, ctx.config.matchingField)).name;
    contacts = await findContacts(
      ctx.http,
      field,
      eligible.map((m) => m.email),
      ctx.tuning.bulkMatchThreshold,
    );
  } catch (err) {
    if (!(err instanceof ObjectNotReadableError)) throw err;
    ctx.ledger.addEvent(
      'warning',
      `${err.message} Contact links were left unchanged.`,
      ctx.runId,
      'CONTACT_READ_MISSING',
    );
    for (const m of eligible) decisions.set(m.id, UNCHANGED);
    return decisions;
  }

  const noMatch: Array<LinkCandidate & { email: string }> = [];
  const saved: Array<{
    memberId: string;
    matchValue: string | null;
    status: string;
    contactId: string | null;
    leadId: string | null;
    createdContactId?: string | null;
  }> = [];
  for (const m of eligible) {
    const id = m.id;
    const email = m.email.toLowerCase();
    const hits = contacts.get(email) ?? [];
    if (hits.length === 0) {
      noMatch.push(m);
      continue;
    }
    // Looked up member by member (as many point reads as one batch lookup, without a map of every member).
    const prior = ctx.ledger.contactLink(id);
    const created = prior?.createdContactId ?? null;
    // A Contact this sync created for the member, or (intent recorded, id lost in a crash) the one it finds now.
    const intentOnly = !created && prior?.intentRunId != null && prior?.status == null;
    const ours = created ? hits.find((h) => h.id === created) : intentOnly ? hits[0] : undefined;
    const chosen = ours ?? hits[0];
    const status = ours ? 'Created' : hits.length === 1 ? 'Matched' : 'Multiple Matches';
    decisions.set(id, { contactId: chosen.id, leadId: clear(m.inOrg), status });
    saved.push({
      memberId: id,
      matchValue: email,
      status,
      contactId: chosen.id,
      leadId: null,
      createdContactId: ours?.id ?? null,
    });
  }

  let noContact: readonly LinkCandidate[] = noMatch;
  if (ctx.config.createContacts && noMatch.length > 0) {
    noContact = await createForMembers(ctx, field, noMatch, decisions);
  }

  let leads = new Map<string, PersonHit[]>();
  if (ctx.config.matchLeads && noContact.length > 0) {
    try {
      leads = await findLeads(
        ctx.http,
        noContact.map((m) => m.email ?? ''),
        ctx.tuning.bulkMatchThreshold,
      );
    } catch (err) {
      if (!(err instanceof ObjectNotReadableError)) throw err;
      ctx.ledger.addEvent(
        'warning',
        `${err.message} Unmatched members were not linked to Leads.`,
        ctx.runId,
        'LEAD_READ_MISSING',
      );
    }
  }
  for (const m of noContact) {
    const id = m.id;
    const email = (m.email ?? '').toLowerCase();
    const lead = leads.get(email)?.[0];
    decisions.set(id, lead ? { contactId: clear(m.inOrg), leadId: lead.id, status: 'Unmatched' } : unmatched(m.inOrg));
    saved.push({ memberId: id, matchValue: email, status: 'Unmatched', contactId: null, leadId: lead?.id ?? null });
  }
  ctx.ledger.saveContactLinks(ctx.runId, saved);
  return decisions;
}

/**
 * Creates one Contact per distinct matching value. The intent is written to the ledger first; if the
 * answer to a create call is lost, the e-mails are looked up again before anything is created again, so
 * a crash or a dropped connection never leaves two Contacts for one member. Returns members still
 * without a Contact (creation refused, e.g. by a duplicate rule).
 */
async function createForMembers(
  ctx: RunContext,
  field: string,
  members: ReadonlyArray<LinkCandidate & { email: string }>,
  decisions: Map<string, LinkDecision>,
): Promise<LinkCandidate[]> {
  const byEmail = new Map<string, Array<LinkCandidate & { email: string }>>();
  for (const m of members) {
    const email = m.email.toLowerCase();
    byEmail.set(email, [...(byEmail.get(email) ?? []), m]);
  }
  ctx.ledger.markContactIntent(
    ctx.runId,
    members.map((m) => ({ memberId: m.id, matchValue: m.email.toLowerCase() })),
  );
  const link = (email: string, contactId: string): void => {
    const group = byEmail.get(email) ?? [];
    for (const m of group) decisions.set(m.id, { contactId, leadId: clear(m.inOrg), status: 'Created' });
    ctx.ledger.saveContactLinks(
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
    ctx.ledger.resolveFailures(
      ctx.runId,
      'contact',
      group.map((m) => m.id),
    );
    byEmail.delete(email);
  };

  const refused: LinkCandidate[] = [];
  for (let attempt = 0; attempt < 3 && byEmail.size > 0; attempt++) {
    if (attempt > 0) {
      // The last answer was lost: whatever that call created is found by its e-mail, not created twice.
      const found = await findContacts(ctx.http, field, [...byEmail.keys()]);
      for (const [email, hits] of found) if (byEmail.has(email)) link(email, hits[0].id);
      if (byEmail.size === 0) break;
    }
    const drafts: ContactDraft[] = [...byEmail.entries()].map(([email, group]) =>
      draftFor(field, email, memberRow(ctx, group[0])),
    );
    let outcomes;
    try {
      outcomes = await createContacts(ctx.http, drafts);
    } catch (err) {
      if (err instanceof SalesforceApiError && (err.status === 0 || err.status >= 500)) continue;
      throw err;
    }
    const failures: Array<readonly [string, string]> = [];
    for (const o of outcomes) {
      if ('id' in o) link(o.key, o.id);
      else {
        for (const m of byEmail.get(o.key) ?? []) {
          refused.push(m);
          failures.push([m.id, o.error]);
        }
        byEmail.delete(o.key);
      }
    }
    if (failures.length > 0) ctx.ledger.recordFailures(ctx.runId, null, 'contact', failures);
  }
  for (const group of byEmail.values()) refused.push(...group);
  return refused;
}

/** The stored member a Contact is drafted from (names and title are not kept in the candidate). */
function memberRow(
  ctx: RunContext,
  m: LinkCandidate & { email: string },
): Pick<MemberRow, 'name' | 'email' | 'firstName' | 'lastName' | 'title'> {
  const row = ctx.store.getMember(m.id)?.row;
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
