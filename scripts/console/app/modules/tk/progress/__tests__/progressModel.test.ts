import { objectRows, runHeading, scheduleView } from '../progressModel';
import * as fx from '../../../../__tests__/fixtures';

describe('progressModel', () => {
  it('builds one bar per object from the run under way, with rate and ETA while it runs', () => {
    const s = fx.statusRunning();
    const [community, member, activity] = objectRows(s.activity, s.lastRun);
    expect(community).toMatchObject({ percent: 100, phaseText: 'Done', rateText: '', etaText: '' });
    expect(member).toMatchObject({
      percent: 50,
      phaseText: 'Salesforce is processing',
      recordsText: '620 of 1,240 records',
      rateText: '155 records/s',
      etaText: 'about 4 s left',
    });
    expect(activity).toMatchObject({ percent: 0, phaseText: 'Waiting', rateText: '', etaText: '' });
    expect(member.valueText).toBe('620 of 1,240 records, 50% complete');
  });

  it('falls back to the last run’s counts when nothing runs, and to no bars before the first run', () => {
    const s = fx.statusWaiting();
    const rows = objectRows(null, s.lastRun);
    expect(rows.map((r) => r.recordsText)).toEqual([
      '1 of 1 records',
      '1,240 of 1,240 records',
      '58,210 of 58,210 records',
    ]);
    expect(rows.every((r) => r.percent === 100)).toBe(true);
    expect(objectRows(null, null)).toEqual([]);
  });

  it('says estimating once records move without an estimate', () => {
    const s = fx.statusRunning();
    s.activity!.objects[2] = {
      object: 'activity',
      phase: 'uploading',
      processed: 10,
      total: 100,
      ratePerSecond: null,
      etaSeconds: null,
    };
    expect(objectRows(s.activity, null)[2].etaText).toBe('estimating…');
  });

  it('names the run under way, a retry, or the last run', () => {
    const s = fx.statusRunning();
    expect(runHeading(s.activity, null)).toBe('Run in progress: Backfill');
    expect(runHeading({ ...s.activity!, runType: 'retry', retryOf: 7 }, null)).toBe(
      'Retrying the failed records of run #7',
    );
    expect(runHeading(null, fx.statusWaiting().lastRun)).toBe('Last run: Backfill, Partially failed');
  });

  it('describes the schedule', () => {
    const s = fx.statusWaiting();
    const v = scheduleView(s.scheduler, s.lastRun);
    expect(v.stateText).toBe('Waiting for the next run');
    expect(v.intervalText).toBe('Every 5 minutes');
    expect(v.nextRunText).toMatch(/Mar 4, 2026/);
    expect(v.lastRunText).toMatch(/^Backfill run #7, partially failed, Mar 4, 2026, .* \(3 min 25 s\)$/);
    expect(v.canStop).toBe(true);
    const paused = fx.statusPaused();
    expect(scheduleView(paused.scheduler, null)).toMatchObject({
      stateText: 'Paused',
      nextRunText: 'Not scheduled',
      lastRunText: 'None yet',
    });
  });
});
