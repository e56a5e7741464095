import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { investigateRun, listRuns, recordEvent, listEvents, recentHistory } from '../../history';
import { openAsyncStore, type AsyncStore } from '../../store';
import { errorCode } from '..';

const KNOWN: Array<[string, RegExp]> = [
  ['INSUFFICIENT_ACCESS_OR_READONLY:insufficient access rights on object id:--', /Modify All/],
  ['InvalidBatch : Field name not found : tightknit__Contact__c', /Member__c\.Contact__c|Community Member → Contact/],
  ['FIELD_CUSTOM_VALIDATION_EXCEPTION:Title is required:--', /Validation Rules/],
  ['DUPLICATES_DETECTED:Use one of these records?:--', /Duplicate Rules/],
  [
    'INVALID_FIELD:Foreign key external ID: slack:T:U9 not found for field tightknit__Tightknit_Id__c in entity tightknit__Member__c:--',
    /parent/,
  ],
  ['STRING_TOO_LONG:Summary: data value too large:tightknit__Summary__c', /field length/],
  [
    'UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--',
    /next run sends these records again by itself/,
  ],
];

describe('sync history', () => {
  let dir: string;
  let store: AsyncStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tk-ledger-'));
    store = openAsyncStore({ stateDir: dir });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the code of row errors and job errors', () => {
    expect(errorCode('UNABLE_TO_LOCK_ROW:unable to obtain:--')).toBe('UNABLE_TO_LOCK_ROW');
    expect(errorCode('InvalidBatch : Field name not found : X')).toBe('InvalidBatch');
    expect(errorCode('garbage')).toBe('UNKNOWN');
  });

  it('groups failed records by object and code, each known code with a cause and a fix', async () => {
    const ledger = store.ledger;
    const runId = await ledger.startRun('backfill');
    await ledger.recordFailures(
      runId,
      null,
      'member',
      KNOWN.map(([error], i) => [`slack:T:U${i}`, error] as const),
    );
    await ledger.recordFailures(runId, null, 'member', [['slack:T:U99', KNOWN[0][0]]]);
    await ledger.recordFailures(runId, null, 'contact', [['slack:T:U5', 'DUPLICATES_DETECTED:dup:--']]);
    await ledger.hold(runId, 'activity', [
      { externalId: 'a1', reason: 'Member not in the org yet', waitingOn: 'slack:T:U1' },
    ]);
    await ledger.addEvent('warning', 'no contact access', runId, 'CONTACT_READ_MISSING');
    await ledger.finishRun(runId, 'PartiallyFailed', 'x', 12);

    const inv = await investigateRun(store, runId);
    expect(inv.run).toMatchObject({ runId, type: 'backfill', status: 'PartiallyFailed', apiCalls: 12 });
    const access = inv.errors.find((g) => g.code === 'INSUFFICIENT_ACCESS_OR_READONLY');
    expect(access?.count).toBe(2);
    expect(inv.errors[0]).toBe(access); // biggest group of the first object first
    for (const [error, fix] of KNOWN) {
      const group = inv.errors.find((g) => g.object === 'member' && g.code === errorCode(error));
      expect(group?.hint).not.toBeNull();
      expect(`${group?.hint?.cause} ${group?.hint?.fix}`).toMatch(fix);
    }
    expect(inv.errors.find((g) => g.object === 'contact')?.hint?.fix).toMatch(/Duplicate Rules/);
    expect(inv.heldBack).toEqual([
      expect.objectContaining({ object: 'activity', count: 1, reason: 'Member not in the org yet' }),
    ]);
    expect(inv.events[0].hint?.fix).toMatch(/Grant Read on Contact/);
    expect((await listRuns(store))[0].runId).toBe(runId);
  });

  it('records connection and schedule events', async () => {
    await recordEvent(store, 'paused', 'Paused by ops');
    expect((await listEvents(store))[0]).toMatchObject({ type: 'paused', message: 'Paused by ops', runId: null });
  });

  it('recent history: the last runs, what waits, and only the events not tied to a run', async () => {
    const ledger = store.ledger;
    const first = await ledger.startRun('backfill');
    await ledger.hold(first, 'activity', [{ externalId: 'a1', reason: 'Member not in the org yet', waitingOn: 'm1' }]);
    await ledger.addEvent('warning', 'a run’s own warning', first, 'CONTACT_READ_MISSING');
    await ledger.finishRun(first, 'PartiallyFailed', 'x', 3);
    await recordEvent(store, 'paused', 'Paused by ops');
    const second = await ledger.startRun('incremental');
    await ledger.finishRun(second, 'Succeeded', 'y', 1);

    const history = await recentHistory(store, 1);
    expect(history.runs.map((r) => r.runId)).toEqual([second]);
    expect(history.waiting).toEqual([{ object: 'activity', reason: 'Member not in the org yet', count: 1 }]);
    expect(history.events).toEqual([expect.objectContaining({ type: 'paused', runId: null })]);
    expect((await recentHistory(store)).runs.map((r) => r.runId)).toEqual([second, first]);
  });
});
