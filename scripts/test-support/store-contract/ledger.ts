import type { NewJob } from '../../sync/ledger';
import type { SuiteContext } from '.';

function job(runId: number, extra: Partial<NewJob> = {}): NewJob {
  return {
    runId,
    object: 'activity',
    operation: 'upsert',
    purpose: 'push',
    path: 'bulk',
    sfJobId: '7505g00000AbCdEAAV',
    state: 'UploadComplete',
    records: 3,
    bytes: 120,
    seqHi: 42,
    ...extra,
  };
}

/** The sync history and the push's bookkeeping. */
export function describeLedger(ctx: SuiteContext): void {
  describe('the ledger', () => {
    it('lists runs newest first, finds the last of a type and adds up counts per object', async () => {
      const { ledger } = ctx.store();
      const backfill = await ledger.startRun('backfill');
      const incremental = await ledger.startRun('incremental');
      const retry = await ledger.startRun('retry', backfill);
      expect((await ledger.runs(2)).map((r) => r.id)).toEqual([retry, incremental]);
      expect(await ledger.lastRun('backfill')).toMatchObject({ id: backfill, type: 'backfill', status: 'Running' });
      expect(await ledger.lastRun()).toMatchObject({ id: retry, retryOf: backfill });
      expect(await ledger.lastRun('rescore')).toBeUndefined();

      await ledger.addCounts(backfill, 'member', { processed: 3, succeeded: 2, failed: 1 });
      await ledger.addCounts(backfill, 'member', { processed: 1, succeeded: 1 });
      const counts = await ledger.runCounts(backfill);
      expect(counts.member).toEqual({ processed: 4, succeeded: 3, failed: 1, heldBack: 0, deleted: 0, truncated: 0 });
      expect(counts.activity.processed).toBe(0);

      await ledger.finishRun(backfill, 'PartiallyFailed', '1 member failed', 5);
      await ledger.finishRun(backfill, 'PartiallyFailed', '1 member failed', 2);
      const finished = await ledger.run(backfill);
      expect(finished).toMatchObject({ status: 'PartiallyFailed', message: '1 member failed', apiCalls: 7 });
      expect(finished?.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    });

    it('stops a run a crashed process left running and hands its unread Bulk jobs to the next run', async () => {
      const crashed = ctx.store();
      const runId = await crashed.ledger.startRun('backfill');
      const jobId = await crashed.ledger.createJob(job(runId));
      await crashed.ledger.updateJob(jobId, { state: 'InProgress', polls: 2 });
      // The process dies here: the run is never finished and the job's results were never read.

      const next = await ctx.reopen();
      expect(await next.ledger.closeInterruptedRuns()).toEqual([runId]);
      const stopped = await next.ledger.run(runId);
      expect(stopped?.status).toBe('Stopped');
      expect(stopped?.finishedAt).not.toBeNull();
      const unfinished = await next.ledger.unfinishedJobs();
      expect(unfinished).toEqual([
        expect.objectContaining({ id: jobId, runId, sfJobId: '7505g00000AbCdEAAV', state: 'InProgress', seqHi: 42 }),
      ]);
      expect(await next.ledger.jobsOfRun(runId)).toHaveLength(1);

      await next.ledger.updateJob(jobId, {
        state: 'JobComplete',
        processed: 3,
        failed: 0,
        resultsAt: await next.ledger.now(),
      });
      expect(await next.ledger.unfinishedJobs()).toEqual([]);
      expect(await next.ledger.job(jobId)).toMatchObject({ state: 'JobComplete', processed: 3, polls: 2 });
      expect(await next.ledger.closeInterruptedRuns()).toEqual([]);
    });

    it('moves a watermark forward only', async () => {
      const { ledger } = ctx.store();
      const run = await ledger.startRun('backfill');
      expect(await ledger.watermark('activity')).toBe(0);
      await ledger.setWatermark('activity', 10, run);
      await ledger.setWatermark('activity', 4, run);
      expect(await ledger.watermark('activity')).toBe(10);
      expect(await ledger.watermark('member')).toBe(0);
    });

    it('keeps the newest failure of a record, resolves it when the record goes through, filters by code', async () => {
      const { ledger } = ctx.store();
      const first = await ledger.startRun('backfill');
      const second = await ledger.startRun('incremental');
      const error = 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name';
      await ledger.recordFailures(first, null, 'member', [['m1', error]]);
      await ledger.recordFailures(second, null, 'member', [
        ['m1', error],
        ['m2', 'UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--'],
      ]);
      expect(await ledger.failedOfRun(first)).toEqual([
        expect.objectContaining({ externalId: 'm1', code: 'REQUIRED_FIELD_MISSING', resolvedRunId: second }),
      ]);
      expect(await ledger.failedOfRun(first, true)).toEqual([]);
      expect(await ledger.unresolvedFailureIds('member')).toEqual(new Set(['m1', 'm2']));
      expect(await ledger.unresolvedFailureIds('member', ['UNABLE_TO_LOCK_ROW'])).toEqual(new Set(['m2']));

      await ledger.clearFailures(second, 'member', ['m2'], 'UNABLE_TO_LOCK_ROW');
      const third = await ledger.startRun('retry', second);
      await ledger.resolveFailures(third, 'member', ['m1']);
      expect(await ledger.unresolvedFailureIds('member')).toEqual(new Set());
      expect((await ledger.failedOfRun(second)).map((f) => [f.externalId, f.resolvedRunId])).toEqual([['m1', third]]);
    });

    it('holds back records until released, remembering the run that first held them', async () => {
      const { ledger } = ctx.store();
      const first = await ledger.startRun('backfill');
      const second = await ledger.startRun('incremental');
      await ledger.hold(first, 'activity', [{ externalId: 'a1', reason: 'MEMBER_FAILED', waitingOn: 'm1' }]);
      await ledger.hold(second, 'activity', [
        { externalId: 'a1', reason: 'MEMBER_NOT_IN_ORG', waitingOn: 'm1' },
        { externalId: 'a2', reason: 'MEMBER_NOT_IN_ORG', waitingOn: null },
      ]);
      expect(await ledger.pendingIds('activity')).toEqual(['a1', 'a2']);
      expect(await ledger.pendingOfRun(first)).toEqual([]);
      expect((await ledger.pendingOfRun(second))[0]).toEqual({
        object: 'activity',
        externalId: 'a1',
        runId: second,
        firstRunId: first,
        reason: 'MEMBER_NOT_IN_ORG',
        waitingOn: 'm1',
      });
      expect(await ledger.pendingSummary()).toEqual([{ object: 'activity', reason: 'MEMBER_NOT_IN_ORG', count: 2 }]);
      await ledger.release('activity', ['a1']);
      expect(await ledger.pendingIds('activity')).toEqual(['a2']);
    });

    it('knows which records are in the org, by external id and, for deletes, by Salesforce id', async () => {
      const { ledger } = ctx.store();
      const run = await ledger.startRun('backfill');
      await ledger.recordSuccesses(run, 'member', [
        ['m1', 'a0B000000000001'],
        ['m2', 'a0B000000000002'],
      ]);
      await ledger.recordSuccesses(run, 'member', [['m1', 'a0B000000000001']]);
      expect(await ledger.sfId('member', 'm1')).toBe('a0B000000000001');
      expect(await ledger.sfId('activity', 'm1')).toBeUndefined();
      expect(await ledger.idsInOrg('member')).toEqual(new Set(['m1', 'm2']));
      expect(await ledger.countRecords('member')).toBe(2);

      await ledger.noteDeletes(run, 'member', [{ ext: 'm2', sfId: 'a0B000000000002' }]);
      expect(await ledger.externalIdBySfId('member', 'a0B000000000002')).toBe('m2');
      await ledger.forgetRecords('member', ['m2']);
      expect(await ledger.idsInOrg('member')).toEqual(new Set(['m1']));
    });

    it('keeps a Contact intent written before the create, and the created Contact once recorded', async () => {
      const { ledger } = ctx.store();
      const run = await ledger.startRun('backfill');
      await ledger.markContactIntent(run, [{ memberId: 'm1', matchValue: 'ana@example.com' }]);
      expect(await ledger.contactLink('m1')).toMatchObject({ intentRunId: run, contactId: null, status: null });
      const link = { memberId: 'm1', matchValue: 'ana@example.com', contactId: '003A', leadId: null };
      await ledger.saveContactLinks(run, [
        { ...link, status: 'Created', createdContactId: '003A', rule: 'Contact.Email' },
      ]);
      await ledger.saveContactLinks(run, [{ ...link, status: 'Matched' }]);
      expect(await ledger.contactLink('m1')).toEqual({
        ...link,
        status: 'Matched',
        createdContactId: '003A',
        intentRunId: run,
        rule: null,
      });
      expect(await ledger.contactLink('m2')).toBeUndefined();
    });

    it('lists events newest first, and those of a run', async () => {
      const { ledger } = ctx.store();
      const run = await ledger.startRun('incremental');
      await ledger.addEvent('paused', 'Paused by the operator');
      await ledger.addEvent('warning', 'Matching unavailable', run, 'MATCHING_UNAVAILABLE');
      expect((await ledger.recentEvents(1)).map((e) => e.message)).toEqual(['Matching unavailable']);
      expect(await ledger.recentEvents(5)).toHaveLength(2);
      expect(await ledger.eventsOfRun(run)).toEqual([
        expect.objectContaining({ type: 'warning', code: 'MATCHING_UNAVAILABLE', runId: run }),
      ]);
    });

    it('looks up Salesforce ids and Contact links of many records in one call', async () => {
      const { ledger } = ctx.store();
      const run = await ledger.startRun('backfill');
      await ledger.recordSuccesses(run, 'activity', [
        ['a1', 'a0C000000000001'],
        ['a2', 'a0C000000000002'],
      ]);
      await ledger.recordSuccesses(run, 'member', [['a3', 'a0B000000000003']]);
      // Unknown ids and ids of another object are left out; a repeated id is answered once.
      expect(await ledger.sfIds('activity', ['a2', 'a3', 'a1', 'a2', 'nope'])).toEqual(
        new Map([
          ['a2', 'a0C000000000002'],
          ['a1', 'a0C000000000001'],
        ]),
      );
      expect(await ledger.sfIds('activity', [])).toEqual(new Map());

      await ledger.markContactIntent(run, [{ memberId: 'm1', matchValue: 'ana@example.com' }]);
      const link = { memberId: 'm2', matchValue: 'bo@example.com', contactId: '003B', leadId: null };
      await ledger.saveContactLinks(run, [{ ...link, status: 'Matched', rule: 'Contact.Email' }]);
      const links = await ledger.contactLinks(['m2', 'm1', 'm3']);
      expect([...links.keys()].sort()).toEqual(['m1', 'm2']);
      expect(links.get('m2')).toEqual(await ledger.contactLink('m2'));
      expect(links.get('m1')).toMatchObject({ intentRunId: run, contactId: null, status: null });
      expect(await ledger.contactLinks([])).toEqual(new Map());
    });
  });
}
