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

/** A member about to be pushed, and whether it is already in the org. */
export interface LinkCandidate {
  stored: StoredRow<MemberRow>;
  inOrg: boolean;
}

const clear = (inOrg: boolean): null | undefined => (inOrg ? null : undefined);

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
  const eligible: LinkCandidate[] = [];
  for (const m of members) {
    const row = m.stored.row;
    if (locked.has(row.tightknitId)) decisions.set(row.tightknitId, {});
    else if (row.isBot || row.status === 'Deleted' || m.stored.deleted || !row.email) {
      decisions.set(row.tightknitId, { contactId: clear(m.inOrg), leadId: clear(m.inOrg), status: 'Unmatched' });
    } else eligible.push(m);
  }
  if (eligible.length === 0) return decisions;

  let field: string;
  let contacts: Map<string, PersonHit[]>;
  try {
    field = (await validateMatchingField(ctx.http, ctx.config.matchingField)).name;
    contacts = await findContacts(
      ctx.http,
      field,
      eligible.map((m) => m.stored.row.email ?? ''),
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
    for (const m of eligible) decisions.set(m.stored.row.tightknitId, {});
    return decisions;
  }

  const prior = ctx.ledger.contactLinks(eligible.map((m) => m.stored.row.tightknitId));
  const unmatched: LinkCandidate[] = [];
  const saved: Array<{
    memberId: string;
    matchValue: string | null;
    status: string;
    contactId: string | null;
    leadId: string | null;
    createdContactId?: string | null;
  }> = [];
  for (const m of eligible) {
    const id = m.stored.row.tightknitId;
    const email = (m.stored.row.email ?? '').toLowerCase();
    const hits = contacts.get(email) ?? [];
    const created = prior.get(id)?.createdContactId ?? null;
    if (hits.length === 0) {
      unmatched.push(m);
      continue;
    }
    // A Contact this sync created for the member, or (intent recorded, id lost in a crash) the one it finds now.
    const intentOnly = !created && prior.get(id)?.intentRunId != null && prior.get(id)?.status == null;
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

  let noContact = unmatched;
  if (ctx.config.createContacts && unmatched.length > 0) {
    noContact = await createForMembers(ctx, field, unmatched, decisions);
  }

  let leads = new Map<string, PersonHit[]>();
  if (ctx.config.matchLeads && noContact.length > 0) {
    try {
      leads = await findLeads(
        ctx.http,
        noContact.map((m) => m.stored.row.email ?? ''),
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
    const id = m.stored.row.tightknitId;
    const email = (m.stored.row.email ?? '').toLowerCase();
    const lead = leads.get(email)?.[0];
    decisions.set(id, { contactId: clear(m.inOrg), leadId: lead ? lead.id : clear(m.inOrg), status: 'Unmatched' });
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
  members: readonly LinkCandidate[],
  decisions: Map<string, LinkDecision>,
): Promise<LinkCandidate[]> {
  const byEmail = new Map<string, LinkCandidate[]>();
  for (const m of members) {
    const email = (m.stored.row.email ?? '').toLowerCase();
    byEmail.set(email, [...(byEmail.get(email) ?? []), m]);
  }
  ctx.ledger.markContactIntent(
    ctx.runId,
    members.map((m) => ({ memberId: m.stored.row.tightknitId, matchValue: (m.stored.row.email ?? '').toLowerCase() })),
  );
  const link = (email: string, contactId: string): void => {
    const group = byEmail.get(email) ?? [];
    for (const m of group)
      decisions.set(m.stored.row.tightknitId, { contactId, leadId: clear(m.inOrg), status: 'Created' });
    ctx.ledger.saveContactLinks(
      ctx.runId,
      group.map((m) => ({
        memberId: m.stored.row.tightknitId,
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
      group.map((m) => m.stored.row.tightknitId),
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
      draftFor(field, email, group[0].stored.row),
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
          failures.push([m.stored.row.tightknitId, o.error]);
        }
        byEmail.delete(o.key);
      }
    }
    if (failures.length > 0) ctx.ledger.recordFailures(ctx.runId, null, 'contact', failures);
  }
  for (const group of byEmail.values()) refused.push(...group);
  return refused;
}

function draftFor(field: string, email: string, row: MemberRow): ContactDraft {
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
