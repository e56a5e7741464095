import { SObjects } from '../../../generated/sobjects';
import { investigateRun } from '../../history';
import type { SyncConfigInput } from '../../config';
import { runSync, type RunSummary } from '..';
import { CHANGE_OVERLAP_MS, nextMark } from '../refresh-links';
import { DEFAULT_ENGAGEMENT } from '../../engagement';
import {
  byExternalId,
  config,
  FAST,
  harness,
  member as storedMember,
  NOW,
  seed,
  TEAM,
  type Harness,
} from './helpers/fixture';

const M = SObjects.Member;
const id = (n: number): string => `${TEAM}:U${n}`;
const email = (n: number): string => `member${n}@example.com`;

/**
 * Links that keep up with the CRM (docs/sync.md "Links that follow the CRM"): Contacts and Leads created,
 * edited, deleted, merged and converted after the backfill reach the members' links at the next run.
 */
describe('links that follow the CRM', () => {
  let h: Harness;
  let cfg: SyncConfigInput;
  beforeEach(async () => {
    h = await harness({ extraFields: { Contact: [{ name: 'Work_Email__c', type: 'email' }] } });
    cfg = {};
  });
  afterEach(() => h.close());

  const run = (
    type: 'backfill' | 'incremental' | 'rematch',
    extra: Partial<Parameters<typeof runSync>[0]> = {},
  ): Promise<RunSummary> =>
    runSync({
      store: h.store,
      connection: h.connection(),
      config: config(cfg),
      type,
      now: NOW,
      tuning: FAST,
      ...extra,
    });

  const member = (n: number): Record<string, unknown> | undefined => byExternalId(h.emu.org.records(M)).get(id(n));
  const link = (n: number) => {
    const m = member(n);
    return {
      contact: (m?.tightknit__Contact__c as string | null | undefined) ?? null,
      lead: (m?.tightknit__Lead__c as string | null | undefined) ?? null,
      status: m?.tightknit__Contact_Link_Status__c ?? null,
    };
  };

  it('links a Contact created after the backfill at the next run, pushing only that member', async () => {
    await seed(h.store, { members: 5, activities: 5 });
    expect((await run('backfill')).status).toBe('Succeeded');
    expect(link(3).status).toBe('Unmatched');

    const [jose] = h.emu.org.insert('Contact', [
      { LastName: 'Ñúñez', FirstName: 'José', Email: 'MEMBER3@example.com' },
    ]);
    h.emu.org.resetApiCallCount();
    const next = await run('incremental');
    expect(next.status).toBe('Succeeded');
    expect(link(3)).toEqual({ contact: jose, lead: null, status: 'Matched' });
    expect(next.objects.member).toMatchObject({ processed: 1, succeeded: 1 });
    expect(await h.store.ledger.contactLink(id(3))).toMatchObject({ contactId: jose, status: 'Matched' });
    expect((await h.store.ledger.contactLink(id(3)))?.rule).toBe('Contact.Email');

    // Nothing changed since: one change query per matched object, nothing pushed.
    h.emu.org.resetApiCallCount();
    const idle = await run('incremental');
    expect(idle.apiCalls).toBe(2);
    expect(idle.objects.member.processed).toBe(0);
  });

  it('follows an edited e-mail, a deletion, a merge and a Lead conversion; never a locked link', async () => {
    const [c1, c2, c4, c5] = h.emu.org.insert('Contact', [
      { LastName: 'One', Email: email(1) },
      { LastName: 'Two', Email: email(2) },
      { LastName: 'Four', Email: email(4) },
      { LastName: 'Five', Email: email(5) },
    ]);
    const [lead3] = h.emu.org.insert('Lead', [{ LastName: 'Three', Company: 'Acme', Email: email(3) }]);
    await seed(h.store, { members: 6, activities: 6 });
    await run('backfill');
    expect(link(3)).toEqual({ contact: null, lead: lead3, status: 'Unmatched' });
    // A rep links member 5 by hand: the package's trigger locks it.
    const [manual] = h.emu.org.insert('Contact', [{ LastName: 'Chosen', Email: 'someone@else.com' }]);
    const m5 = member(5)?.Id as string;
    h.emu.org.update(M, m5, {
      tightknit__Contact__c: manual,
      tightknit__Contact_Link_Status__c: 'Manual',
      tightknit__Contact_Link_Locked__c: true,
    });

    h.emu.org.update('Contact', c1, { Email: 'moved.away@example.com' }); // member 1 no longer matches
    h.emu.org.update('Contact', c2, { Email: email(6) }); // ...and member 6 now does
    h.emu.org.delete('Contact', c4);
    const { contactId: converted } = h.emu.org.convertLead(lead3);
    h.emu.org.update('Contact', c5, { Email: 'other@example.com' }); // would unlink member 5, but it is locked
    const summary = await run('incremental');
    expect(summary.status).toBe('Succeeded');
    expect(link(1)).toEqual({ contact: null, lead: null, status: 'Unmatched' });
    expect(link(2)).toEqual({ contact: null, lead: null, status: 'Unmatched' });
    expect(link(6)).toEqual({ contact: c2, lead: null, status: 'Matched' });
    expect(link(4)).toEqual({ contact: null, lead: null, status: 'Unmatched' });
    expect(link(3)).toEqual({ contact: converted, lead: null, status: 'Matched' });
    expect(link(5)).toEqual({ contact: manual, lead: null, status: 'Manual' });
    expect(summary.objects.member.processed).toBe(5);

    // A merge: member 6's Contact loses to a survivor; the member moves to it.
    const [survivor] = h.emu.org.insert('Contact', [{ LastName: 'Survivor', Email: 'survivor@example.com' }]);
    h.emu.org.merge('Contact', survivor, [c2]);
    await run('incremental');
    expect(link(6)).toEqual({ contact: survivor, lead: null, status: 'Matched' });
    expect((await h.store.ledger.contactLink(id(6)))?.contactId).toBe(survivor);
    expect(link(5)).toEqual({ contact: manual, lead: null, status: 'Manual' });
  });

  it('never links a deleted member again, whatever changes in the CRM', async () => {
    const [c2] = h.emu.org.insert('Contact', [{ LastName: 'Two', Email: email(2) }]);
    await seed(h.store, { members: 3, activities: 3 });
    await run('backfill');
    expect(link(2).contact).toBe(c2);
    const w = await h.store.beginWrite();
    await w.putMember(storedMember(2, { status: 'Deleted' }));
    await w.commit(NOW, DEFAULT_ENGAGEMENT);
    await run('incremental');
    expect(link(2)).toEqual({ contact: null, lead: null, status: 'Unmatched' });
    // The org keeps the record, with status Deleted and the personal fields cleared.
    expect(member(2)).toMatchObject({ tightknit__Status__c: 'Deleted', tightknit__Email__c: null });
    // A rep creates a Contact with the deleted member's old address, and merges the old one into it.
    const [again] = h.emu.org.insert('Contact', [{ LastName: 'Again', Email: email(2) }]);
    h.emu.org.merge('Contact', again, [c2]);
    await run('incremental');
    expect(link(2)).toEqual({ contact: null, lead: null, status: 'Unmatched' });
  });

  it('applies Contact changes while Lead cannot be read, and re-reads in the overlap cost no look-up', async () => {
    const [c1] = h.emu.org.insert('Contact', [{ LastName: 'One', Email: email(1) }]);
    await seed(h.store, { members: 3, activities: 3 });
    await run('backfill');
    h.emu.org.delete('Contact', c1);
    h.emu.setGrants({ leadRead: false });
    const partial = await run('incremental');
    expect(partial.status).toBe('PartiallyFailed');
    expect(link(1)).toEqual({ contact: null, lead: null, status: 'Unmatched' });
    h.emu.setGrants({ leadRead: true });

    // Two Contacts for member 3: Multiple Matches; the runs after read them again (overlap) but look nobody up.
    const [a, b] = h.emu.org.insert('Contact', [
      { LastName: 'A', Email: email(3) },
      { LastName: 'B', Email: email(3) },
    ]);
    await run('incremental');
    expect(link(3).status).toBe('Multiple Matches');
    expect([a, b]).toContain(link(3).contact);
    for (let i = 0; i < 2; i++) {
      h.emu.org.resetApiCallCount();
      const idle = await run('incremental');
      expect(idle.apiCalls).toBe(2);
      expect(idle.objects.member.processed).toBe(0);
    }
  });

  it('pushes the members while Contact cannot be read, says why, and links them all after the fix', async () => {
    await seed(h.store, { members: 4, activities: 4 });
    h.emu.org.insert('Contact', [
      { LastName: 'One', Email: email(1) },
      { LastName: 'Two', Email: email(2) },
    ]);
    h.emu.setGrants({ contactRead: false, contactCreate: false, contactEdit: false });
    const blocked = await run('backfill');
    expect(blocked.status).toBe('PartiallyFailed');
    expect(blocked.objects.member.succeeded).toBe(4);
    expect(blocked.message).toMatch(/cannot read Contact.*4 member link\(s\) wait/s);
    const inv = await investigateRun(h.store, blocked.runId);
    const event = inv.events.find((e) => e.code === 'MATCHING_UNAVAILABLE');
    expect(event?.hint?.fix).toMatch(/Grant Read on Contact/);
    expect(link(1).contact).toBeNull();

    // Still missing: still not a success.
    expect((await run('incremental')).status).toBe('PartiallyFailed');

    h.emu.setGrants({ contactRead: true, contactCreate: true, contactEdit: true });
    const fixed = await run('incremental');
    expect(fixed.status).toBe('Succeeded');
    expect(link(1).status).toBe('Matched');
    expect(link(2).status).toBe('Matched');
    expect(link(3).status).toBe('Unmatched');
    expect(await h.store.matchLedger.waitingCount()).toBe(0);
  });

  it('treats a hidden matching field as missing access, not as success', async () => {
    await seed(h.store, { members: 2, activities: 2 });
    await run('backfill');
    h.emu.setGrants({ hiddenFields: ['Contact.Email'] });
    const blocked = await run('incremental');
    expect(blocked.status).toBe('PartiallyFailed');
    const event = (await investigateRun(h.store, blocked.runId)).events.find((e) => e.code === 'MATCHING_UNAVAILABLE');
    expect(event?.message).toMatch(/Contact\.Email/);
    expect(event?.hint?.fix).toMatch(/Grant Read on Contact\.Email/);
  });

  it('applies two rules in order and records the rule that matched; rematch after the rules change', async () => {
    const [work, primary] = h.emu.org.insert('Contact', [
      { LastName: 'Work', Email: 'private@example.org', Work_Email__c: email(1) },
      { LastName: 'Primary', Email: email(2), Work_Email__c: 'x@example.org' },
    ]);
    await seed(h.store, { members: 3, activities: 3 });
    await run('backfill');
    expect(link(1).status).toBe('Unmatched');
    expect(link(2)).toEqual({ contact: primary, lead: null, status: 'Matched' });

    cfg = { matchRules: ['Contact.Email', 'Contact.Work_Email__c'] };
    const rematch = await run('rematch');
    expect(rematch.type).toBe('rematch');
    expect(rematch.status).toBe('Succeeded');
    expect(link(1)).toEqual({ contact: work, lead: null, status: 'Matched' });
    expect(rematch.objects.member.processed).toBe(1); // only the link that changed
    const ledger = h.store.ledger;
    expect((await ledger.contactLink(id(1)))?.rule).toBe('Contact.Work_Email__c');
    expect((await ledger.contactLink(id(2)))?.rule).toBe('Contact.Email');
    expect(member(1)?.tightknit__Contact_Match_Rule__c).toBe('Contact.Work_Email__c');
    expect(member(2)?.tightknit__Contact_Match_Rule__c).toBe('Contact.Email');
    expect(member(3)?.tightknit__Contact_Match_Rule__c ?? null).toBeNull();

    // A later change on the second rule's field is followed too.
    const [late] = h.emu.org.insert('Contact', [{ LastName: 'Late', Email: 'z@example.org', Work_Email__c: email(3) }]);
    await run('incremental');
    expect(link(3)).toEqual({ contact: late, lead: null, status: 'Matched' });
  });

  it('recovers when the run stops between the link job and its results', async () => {
    await seed(h.store, { members: 3, activities: 3 });
    await run('backfill');
    const [c] = h.emu.org.insert('Contact', [{ LastName: 'Two', Email: email(2) }]);
    const controller = new AbortController();
    const stopped = await run('incremental', {
      signal: controller.signal,
      onProgress: (p) => {
        // The refresh's member job is submitted: stop before its results are read.
        if (p.object === 'member' && p.phase === 'uploading') controller.abort();
      },
    });
    expect(stopped.status).toBe('Stopped');
    expect((await h.store.ledger.contactLink(id(2)))?.contactId ?? null).toBeNull();
    const watermark = await h.store.matchLedger.watermark('Contact');

    const next = await run('incremental');
    expect(next.status).toBe('Succeeded');
    expect(link(2)).toEqual({ contact: c, lead: null, status: 'Matched' });
    expect((await h.store.ledger.contactLink(id(2)))?.contactId).toBe(c);
    expect((await h.store.matchLedger.watermark('Contact'))! >= watermark!).toBe(true);
  });
});

describe('the change watermark', () => {
  const mark = '2026-11-20T12:00:00.000Z';
  const local = (iso: string) => ({ at: Date.parse(iso), orgClock: false });
  const org = (iso: string) => ({ at: Date.parse(iso), orgClock: true });
  const overlapBefore = (iso: string): string => new Date(Date.parse(iso) - CHANGE_OVERLAP_MS).toISOString();

  it("with the org's clock: an overlap before the scan, in a quiet org too, never back", () => {
    expect(nextMark(mark, null, org('2026-11-20T13:00:00.000Z'))).toBe(overlapBefore('2026-11-20T13:00:00.000Z'));
    expect(nextMark(mark, '2026-11-20T12:59:59.000Z', org('2026-11-20T13:00:00.000Z'))).toBe(
      overlapBefore('2026-11-20T13:00:00.000Z'),
    );
    expect(nextMark(mark, null, org('2026-11-20T12:02:00.000Z'))).toBe(mark);
  });

  it("with only this machine's clock: bounded by the newest stamp read, put when nothing changed", () => {
    expect(nextMark(mark, null, local('2026-11-20T13:00:00.000Z'))).toBe(mark);
    expect(nextMark(mark, '2026-11-20T12:10:00.000Z', local('2026-11-20T13:00:00.000Z'))).toBe(
      '2026-11-20T12:10:00.000Z',
    );
    expect(nextMark(mark, '2026-11-20T12:59:59.000Z', local('2026-11-20T13:00:00.000Z'))).toBe(
      overlapBefore('2026-11-20T13:00:00.000Z'),
    );
    // This machine's clock far behind the org's: never before the mark.
    expect(nextMark(mark, '2026-11-20T12:30:00.000Z', local('2026-11-20T11:00:00.000Z'))).toBe(mark);
  });
});
