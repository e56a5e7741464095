import { matchRulesOf, type MatchRule } from '../config';
import type { ContactLinkStatus } from '../../generated/sobjects';
import type { ContactLink } from '../ledger';
import { findPeople, MatchingUnavailableError, validateRuleField, type PersonHit } from '../salesforce/matching';
import type { RunContext } from './context';

// The match rules applied during a run (links for members); ops/match-rules.ts checks them at configure time.

/** A member to look up: its id and the lower-cased e-mail the rules compare. */
export interface MatchSubject {
  id: string;
  email: string;
}

/** A link decided for a member that is in the org: every part is explicit. */
export interface LinkTarget {
  contactId: string | null;
  leadId: string | null;
  status: ContactLinkStatus;
  /** The rule that found the person ("Contact.Email"); null when none did. */
  rule: string | null;
  matchValue: string | null;
  createdContactId?: string | null;
}

export interface RuleMatch {
  found: Map<string, LinkTarget>;
  /** Members no rule of the phase found. */
  rest: MatchSubject[];
  /** Set when a rule could not run; `rest` then holds the members it left undecided. */
  unavailable?: MatchingUnavailableError;
  /** The exact API name of the first Contact rule's field (for Contacts the sync creates). */
  contactField: string | null;
}

/**
 * Applies the match rules of one object, in order: the first rule that finds a person for a member wins.
 * Contact rules: one hit → Matched, several → the most recently modified with Multiple Matches, and a
 * Contact this sync created for the member (Created) is kept when it is still among the hits. Lead rules:
 * the most recently modified unconverted Lead, status Unmatched. One query (or chunked queries) per rule
 * for the members still unmatched.
 */
export async function applyRules(
  ctx: RunContext,
  members: readonly MatchSubject[],
  object: 'Contact' | 'Lead',
): Promise<RuleMatch> {
  const found = new Map<string, LinkTarget>();
  let rest = [...members];
  let contactField: string | null = null;
  for (const rule of matchRulesOf(ctx.config).filter((r) => r.object === object)) {
    if (rest.length === 0) break;
    let hits: Map<string, PersonHit[]>;
    try {
      const field = await validateRuleField(ctx.describes, rule);
      contactField ??= object === 'Contact' ? field : null;
      hits = await findPeople(
        ctx.http,
        object,
        field,
        rest.map((m) => m.email),
        ctx.tuning.bulkMatchThreshold,
      );
    } catch (err) {
      if (err instanceof MatchingUnavailableError) return { found, rest, unavailable: err, contactField };
      throw err;
    }
    const next: MatchSubject[] = [];
    // The links of the members found, in one look-up: a Contact the sync created for one is kept.
    const hit = rest.filter((m) => hits.get(m.email)?.length);
    const prior = object === 'Contact' && hit.length > 0 ? await ctx.ledger.contactLinks(hit.map((m) => m.id)) : null;
    for (const m of rest) {
      const list = hits.get(m.email);
      if (list?.length) found.set(m.id, targetFor(m, rule, list, prior?.get(m.id)));
      else next.push(m);
    }
    rest = next;
  }
  return { found, rest, contactField };
}

function targetFor(m: MatchSubject, rule: MatchRule, hits: PersonHit[], prior: ContactLink | undefined): LinkTarget {
  if (rule.object === 'Lead') {
    return { contactId: null, leadId: hits[0].id, status: 'Unmatched', rule: rule.label, matchValue: m.email };
  }
  const created = prior?.createdContactId ?? null;
  // A Contact this sync created for the member, or (intent recorded, id lost in a crash) the one it finds now.
  const intentOnly = !created && prior?.intentRunId != null && prior?.status == null;
  const ours = created ? hits.find((h) => h.id === created) : intentOnly ? hits[0] : undefined;
  const chosen = ours ?? hits[0];
  return {
    contactId: chosen.id,
    leadId: null,
    status: ours ? 'Created' : hits.length === 1 ? 'Matched' : 'Multiple Matches',
    rule: rule.label,
    matchValue: m.email,
    createdContactId: ours?.id ?? null,
  };
}

/** The link of a member no rule found (or that is never matched: bots, deleted, no e-mail). */
export function unmatchedTarget(matchValue: string | null): LinkTarget {
  return { contactId: null, leadId: null, status: 'Unmatched', rule: null, matchValue };
}

/**
 * A full look-up of members in the org, through every rule (Contacts first, then Leads); no Contact is
 * created. Members a rule could not be run for are returned in `undecided` with the reason.
 */
export async function lookUpLinks(
  ctx: RunContext,
  members: readonly MatchSubject[],
): Promise<{ targets: Map<string, LinkTarget>; undecided: MatchSubject[]; unavailable?: MatchingUnavailableError }> {
  const contacts = await applyRules(ctx, members, 'Contact');
  if (contacts.unavailable)
    return { targets: contacts.found, undecided: contacts.rest, unavailable: contacts.unavailable };
  const leads = await applyRules(ctx, contacts.rest, 'Lead');
  const targets = new Map([...contacts.found, ...leads.found]);
  if (leads.unavailable) return { targets, undecided: leads.rest, unavailable: leads.unavailable };
  for (const m of leads.rest) targets.set(m.id, unmatchedTarget(m.email));
  return { targets, undecided: [] };
}
