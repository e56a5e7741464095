import type { SuiteContext } from '.';

/** The matching side of the ledger: CRM change watermarks, members waiting for a look-up, link look-ups. */
export function describeMatching(ctx: SuiteContext): void {
  describe('the matching ledger', () => {
    it('moves a Contact/Lead change watermark forward only, per object, until cleared', async () => {
      const { matchLedger, ledger } = ctx.store();
      const run = await ledger.startRun('incremental');
      expect(await matchLedger.watermark('Contact')).toBeNull();
      await matchLedger.setWatermark('Contact', '2026-01-02T00:00:00.000Z', run);
      await matchLedger.setWatermark('Contact', '2026-01-01T00:00:00.000Z', run);
      expect(await matchLedger.watermark('Contact')).toBe('2026-01-02T00:00:00.000Z');
      expect(await matchLedger.watermark('Lead')).toBeNull();
      await matchLedger.clearWatermarks();
      expect(await matchLedger.watermark('Contact')).toBeNull();
    });

    it('remembers the people seen in the overlap window only', async () => {
      const { matchLedger } = ctx.store();
      await matchLedger.recordSeen(
        'Contact',
        [
          { id: '003A', stamp: '2026-01-02T00:00:00.000Z' },
          { id: '003B', stamp: '2026-01-01T00:00:00.000Z' },
        ],
        '2026-01-01T12:00:00.000Z',
      );
      expect(await matchLedger.seenStamp('Contact', '003A')).toBe('2026-01-02T00:00:00.000Z');
      expect(await matchLedger.seenStamp('Contact', '003B')).toBeNull();
      await matchLedger.recordSeen('Contact', [], '2026-01-03T00:00:00.000Z');
      expect(await matchLedger.seenStamp('Contact', '003A')).toBeNull();
    });

    it('keeps members waiting for a full look-up, by reason, and makes every pushed member wait', async () => {
      const { matchLedger, ledger } = ctx.store();
      const run = await ledger.startRun('backfill');
      await matchLedger.addWaiting(run, ['m1', 'm2'], 'MATCHING_UNAVAILABLE');
      expect(await matchLedger.waitingCount()).toBe(2);
      expect(await matchLedger.waitingCount('rematch')).toBe(0);
      await matchLedger.removeWaiting(['m1']);
      expect(await matchLedger.waiting()).toEqual(['m2']);

      await ledger.recordSuccesses(run, 'member', [
        ['m1', 'a0B1'],
        ['m3', 'a0B3'],
      ]);
      const rematch = await ledger.startRun('rematch');
      expect(await matchLedger.allMembersWait(rematch, 'rematch')).toBe(2);
      expect((await matchLedger.waiting()).sort()).toEqual(['m1', 'm2', 'm3']);
      expect(await matchLedger.waitingCount('rematch')).toBe(2);
    });

    it('finds the known links of members by match value, Contact and Lead', async () => {
      const { matchLedger, ledger } = ctx.store();
      const run = await ledger.startRun('backfill');
      await ledger.saveContactLinks(run, [
        { memberId: 'm1', matchValue: 'ana@example.com', status: 'Matched', contactId: '003A', leadId: null },
        { memberId: 'm2', matchValue: 'ana@example.com', status: 'Matched', contactId: '003A', leadId: null },
        { memberId: 'm3', matchValue: 'bo@example.com', status: 'Matched', contactId: null, leadId: '00QB' },
      ]);
      const ids = (links: Array<{ memberId: string }>) => links.map((l) => l.memberId).sort();
      expect(ids(await matchLedger.linksByValue(['ana@example.com', 'ana@example.com']))).toEqual(['m1', 'm2']);
      expect(ids(await matchLedger.linksByContact(['003A', '003Z']))).toEqual(['m1', 'm2']);
      expect(ids(await matchLedger.linksByLead(['00QB']))).toEqual(['m3']);
      expect(await matchLedger.linksByLead([])).toEqual([]);
    });
  });
}
