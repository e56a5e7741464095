import { matchRulesOf } from '../config';
import type { ContactLink } from '../ledger';
import type { LinkDecision } from '../salesforce/records';
import { MatchingUnavailableError, findLockedMembers } from '../salesforce/matching';
import { forEachPersonChange, latestStamp, type PersonChange } from '../salesforce/person-changes';
import type { RunContext } from './context';
import { LOCK_QUERY_BY_ID, linkCandidate } from './links';
import { lookUpLinks, unmatchedTarget, type LinkTarget, type MatchSubject } from './match-rules';
import { pushObject, type PushOutcome } from './objects';

/**
 * Changes stamped within this long before a scan are read again by the next one: SystemModstamp is taken
 * when a transaction starts, so a long transaction can commit records stamped earlier than ones already
 * read; it also absorbs a difference between this machine's clock and the org's.
 */
export const CHANGE_OVERLAP_MS = 5 * 60_000;

/**
 * Where the next scan starts. Everything stamped before (scan time − overlap) had committed and was read.
 * With the org's own clock (its `Date` header) that holds whatever this machine's clock says, so the mark
 * moves to it even in a quiet org; with only this machine's clock, the newest stamp read bounds it, so a
 * clock ahead of the org's never skips a change. The mark never moves back.
 */
export function nextMark(mark: string, newest: string | null, scan: { at: number; orgClock: boolean }): string {
  const settled = new Date(scan.at - CHANGE_OVERLAP_MS).toISOString();
  const next = scan.orgClock ? settled : newest === null ? mark : settled < newest ? settled : newest;
  return next > mark ? next : mark;
}

/** Where change tracking starts in an org without a single Contact or Lead. */
const EPOCH = '1970-01-01T00:00:00.000Z';

type PersonObject = 'Contact' | 'Lead';

function trackedObjects(ctx: RunContext): PersonObject[] {
  return [...new Set(matchRulesOf(ctx.config).map((r) => r.object))];
}

/**
 * Before a run's look-ups: for each matched object that has no change watermark yet, the newest
 * SystemModstamp (one query each, once per installation). Changes after it are read by later runs, so
 * nothing that happens while this run looks people up is missed.
 */
export async function startChangeTracking(ctx: RunContext): Promise<void> {
  // Nothing to match before the first ingest (one row read, not a count of the store).
  if ((await ctx.store.changedMembers(0, 1)).length === 0) return;
  try {
    for (const object of trackedObjects(ctx)) {
      if ((await ctx.matchLedger.watermark(object)) === null)
        ctx.startStamps.set(object, (await latestStamp(ctx.http, object)) ?? EPOCH);
    }
  } catch (err) {
    if (!(err instanceof MatchingUnavailableError)) throw err;
    await ctx.matchingUnavailable(err, []);
  }
}

/** What one run learned from the CRM's changes: links decided from the changes, and members to look up again. */
class ChangeEffects {
  readonly targets = new Map<string, LinkTarget>();
  readonly relookup = new Set<string>();
  /** Unlinked members and the changed people that now match them, per rule position. */
  private readonly hits = new Map<
    string,
    { rank: number; object: PersonObject; id: string; lastModified: string; rule: string; value: string }[]
  >();

  constructor(
    private readonly ctx: RunContext,
    private readonly ruleFields: ReadonlyMap<PersonObject, Array<{ field: string; rank: number; label: string }>>,
  ) {}

  /** Bots, deleted members and members without an e-mail are never linked, whatever changes in the CRM. */
  private async matchable(memberId: string): Promise<boolean> {
    const stored = await this.ctx.store.getMember(memberId);
    return stored !== undefined && linkCandidate(stored, true).email !== null;
  }

  /** The rules of `object` whose field holds `value` on this person. */
  private matchingRules(object: PersonObject, c: PersonChange, value: string | null): boolean {
    return (this.ruleFields.get(object) ?? []).some((r) => value !== null && c.values[r.field] === value);
  }

  async add(object: PersonObject, c: PersonChange): Promise<void> {
    const ml = this.ctx.matchLedger;
    // Members linked to this person: merged → the survivor; converted Lead → its Contact; deleted, or no
    // longer matching → looked up again.
    const linked = object === 'Contact' ? await ml.linksByContact([c.id]) : await ml.linksByLead([c.id]);
    for (const l of linked) {
      if (this.relookup.has(l.memberId) || !(await this.matchable(l.memberId))) continue;
      if (object === 'Lead' && c.convertedContactId) {
        const converted = { contactId: c.convertedContactId, leadId: null, status: 'Matched' as const };
        this.targets.set(l.memberId, { ...base(l), ...converted, rule: 'Lead conversion', createdContactId: null });
      } else if (c.deleted && c.masterId) {
        const master = c.masterId;
        this.targets.set(
          l.memberId,
          object === 'Contact'
            ? // A Contact the sync created lives on as the survivor of the merge.
              { ...base(l), contactId: master, createdContactId: l.status === 'Created' ? master : l.createdContactId }
            : { ...base(l), leadId: master },
        );
      } else if (c.deleted || !this.matchingRules(object, c, l.matchValue)) {
        this.relookup.add(l.memberId);
        this.targets.delete(l.memberId);
      }
    }
    if (c.deleted || c.convertedContactId) return;
    // Members this person now matches: the unlinked ones are decided from the changes (a person that
    // matched them before would have been found when they were looked up); Multiple Matches look up again.
    for (const r of this.ruleFields.get(object) ?? []) {
      const value = c.values[r.field];
      if (!value) continue;
      for (const l of await ml.linksByValue([value])) {
        if (l.contactId === c.id || l.leadId === c.id || this.relookup.has(l.memberId)) continue;
        if (!(await this.matchable(l.memberId))) continue;
        if (l.status === 'Multiple Matches') this.relookup.add(l.memberId);
        else if (l.contactId === null && (object === 'Contact' || l.leadId === null)) {
          const list = this.hits.get(l.memberId) ?? [];
          list.push({ rank: r.rank, object, id: c.id, lastModified: c.lastModified, rule: r.label, value });
          this.hits.set(l.memberId, list);
        } else if (l.contactId === null && object === 'Lead') this.relookup.add(l.memberId);
      }
    }
  }

  /** Links decided from the hits: the first rule with a hit wins, the most recently modified person of it. */
  settle(): void {
    for (const [memberId, list] of this.hits) {
      if (this.relookup.has(memberId) || this.targets.has(memberId)) continue;
      const best = Math.min(...list.map((h) => h.rank));
      const top = list.filter((h) => h.rank === best).sort((a, b) => (a.lastModified < b.lastModified ? 1 : -1));
      const ids = new Set(top.map((h) => h.id));
      const h = top[0];
      this.targets.set(
        memberId,
        h.object === 'Contact'
          ? {
              contactId: h.id,
              leadId: null,
              status: ids.size > 1 ? 'Multiple Matches' : 'Matched',
              rule: h.rule,
              matchValue: h.value,
            }
          : { contactId: null, leadId: h.id, status: 'Unmatched', rule: h.rule, matchValue: h.value },
      );
    }
  }
}

function base(l: ContactLink): LinkTarget {
  return {
    contactId: l.contactId,
    leadId: l.leadId,
    status: (l.status ?? 'Unmatched') as LinkTarget['status'],
    rule: l.rule,
    matchValue: l.matchValue,
    createdContactId: l.createdContactId,
  };
}

function same(t: LinkTarget, l: ContactLink | undefined): boolean {
  return !!l && l.contactId === t.contactId && l.leadId === t.leadId && l.status === t.status;
}

type RuleFields = Map<PersonObject, Array<{ field: string; name: string; rank: number; label: string }>>;

/** The match rules' fields by person object, with each rule's rank. */
function ruleFieldsOf(ctx: RunContext): RuleFields {
  const rules = matchRulesOf(ctx.config);
  const ruleFields: RuleFields = new Map();
  // Field names as configured (the change query itself fails on a field the user cannot read).
  for (const [rank, rule] of rules.entries()) {
    const entry = { field: rule.field.toLowerCase(), name: rule.field, rank, label: rule.label };
    ruleFields.set(rule.object, [...(ruleFields.get(rule.object) ?? []), entry]);
  }
  return ruleFields;
}

/**
 * Reads the Contacts and Leads changed since each watermark into `fx`; returns the next watermark of each
 * object read and the stamps seen (moved only once the member results are read).
 */
async function readPersonChanges(
  ctx: RunContext,
  ruleFields: RuleFields,
  fx: ChangeEffects,
): Promise<{ marks: Map<PersonObject, string>; seen: Map<PersonObject, Array<{ id: string; stamp: string }>> }> {
  const marks = new Map<PersonObject, string>();
  const seen = new Map<PersonObject, Array<{ id: string; stamp: string }>>();
  // One object at a time: a permission missing on Lead never holds back what changed on Contact.
  for (const object of trackedObjects(ctx)) {
    const started = ctx.startStamps.get(object);
    if (started !== undefined) {
      marks.set(object, started); // tracking starts with this run: its look-ups saw everything before
      continue;
    }
    const mark = await ctx.matchLedger.watermark(object);
    if (mark === null) continue; // matching was unavailable when this run started
    let newest: string | null = null;
    const read: Array<{ id: string; stamp: string }> = [];
    const scannedAt = Date.now();
    try {
      const fields = (ruleFields.get(object) ?? []).map((r) => r.name);
      const { orgTime } = await forEachPersonChange(ctx.http, object, fields, mark, async (c) => {
        if (newest === null || c.stamp > newest) newest = c.stamp;
        read.push({ id: c.id, stamp: c.stamp });
        // Read again in the overlap window: already applied at this stamp.
        if ((await ctx.matchLedger.seenStamp(object, c.id)) !== c.stamp) await fx.add(object, c);
      });
      const scan = orgTime ? { at: Date.parse(orgTime), orgClock: true } : { at: scannedAt, orgClock: false };
      marks.set(object, nextMark(mark, newest, scan));
      seen.set(object, read);
    } catch (err) {
      if (!(err instanceof MatchingUnavailableError)) throw err;
      // Whatever waited (a rematch, an earlier gap) now waits for this access.
      await ctx.matchingUnavailable(err, await ctx.matchLedger.waiting());
    }
  }
  return { marks, seen };
}

/**
 * Keeps the links of members already in the org up with the CRM (docs/sync.md "Links that follow the CRM"):
 * reads the Contacts and Leads changed since the watermark (deleted, merged and converted ones included),
 * relates them to the members by their match values and links, looks up again the members that waited
 * (no access before, a rematch) or lost their person, and pushes only the members whose link changed.
 * Locked links are never changed. The watermarks move only after the member results are read.
 */
export async function refreshLinks(ctx: RunContext): Promise<PushOutcome> {
  if ((await ctx.ledger.countRecords('member')) === 0 || ctx.stopped) return 'done';
  const ruleFields = ruleFieldsOf(ctx);
  const fx = new ChangeEffects(ctx, ruleFields);
  const { marks, seen } = await readPersonChanges(ctx, ruleFields, fx);
  fx.settle();
  for (const id of await ctx.matchLedger.waiting()) fx.relookup.add(id);
  for (const id of fx.relookup) fx.targets.delete(id);

  // Members to look up again: by their stored e-mail; never-matched members (bots, deleted) are Unmatched.
  const subjects: MatchSubject[] = [];
  // Read only when some member is concerned: an idle run never loads every member id.
  let inOrgIds: Promise<Set<string>> | undefined;
  const inOrg = async (id: string): Promise<boolean> => (await (inOrgIds ??= ctx.ledger.idsInOrg('member'))).has(id);
  for (const id of fx.relookup) {
    const stored = await ctx.store.getMember(id);
    if (!stored || !(await inOrg(id))) continue;
    const email = linkCandidate(stored, true).email?.toLowerCase() ?? null;
    if (email) subjects.push({ id, email });
    else fx.targets.set(id, unmatchedTarget(null));
  }
  ctx.report({ object: 'member', phase: 'matching', processed: 0, total: subjects.length + fx.targets.size });
  const looked = await lookUpLinks(ctx, subjects);
  for (const [id, t] of looked.targets) fx.targets.set(id, t);
  // Members whose look-up could not finish keep waiting, even when what is known of them is sent now.
  const stillWaiting = new Set<string>();
  if (looked.unavailable) {
    await ctx.matchingUnavailable(
      looked.unavailable,
      looked.undecided.map((m) => m.id),
    );
    if (looked.unavailable.sobject === 'Lead') {
      // No Contact matches them: that much is known and sent; their Lead link waits for the access.
      const prior = await ctx.ledger.contactLinks(looked.undecided.map((m) => m.id));
      for (const m of looked.undecided) {
        fx.targets.set(m.id, { ...unmatchedTarget(m.email), leadId: prior.get(m.id)?.leadId ?? null });
        stillWaiting.add(m.id);
      }
    }
  }

  // Locked links stay as a person set them; unchanged links need no push.
  const candidates = [...fx.targets.keys()];
  const locked =
    candidates.length === 0
      ? new Set<string>()
      : await findLockedMembers(ctx.http, candidates.length <= LOCK_QUERY_BY_ID ? candidates : undefined);
  const settled: string[] = [...locked];
  const changed = new Map<string, LinkTarget>();
  const current = await ctx.ledger.contactLinks(candidates);
  for (const [id, t] of fx.targets) {
    if (locked.has(id) || !(await inOrg(id))) continue;
    if (same(t, current.get(id))) {
      settled.push(id);
      await ctx.ledger.saveContactLinks(ctx.runId, [{ memberId: id, ...t }]);
    } else changed.set(id, t);
  }
  await ctx.matchLedger.removeWaiting(settled.filter((id) => !stillWaiting.has(id)));

  if (changed.size > 0) {
    const links = new Map<string, LinkDecision>(
      [...changed].map(([id, t]) => [id, { contactId: t.contactId, leadId: t.leadId, status: t.status, rule: t.rule }]),
    );
    const outcome = await pushObject(ctx, 'member', { mode: 'ids', ids: [...changed.keys()], links });
    if (outcome === 'stopped') return 'stopped';
    const failed = await ctx.unresolvedOf('member');
    const landed = [...changed].filter(([id]) => !failed.has(id));
    await ctx.ledger.saveContactLinks(
      ctx.runId,
      landed.map(([id, t]) => ({ memberId: id, ...t })),
    );
    await ctx.matchLedger.removeWaiting(landed.map(([id]) => id).filter((id) => !stillWaiting.has(id)));
  }
  for (const [object, stamp] of marks) {
    await ctx.matchLedger.setWatermark(object, stamp, ctx.runId);
    await ctx.matchLedger.recordSeen(object, seen.get(object) ?? [], stamp);
  }
  return 'done';
}
