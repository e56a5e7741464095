import Progress from 'tk/progress';
import { pauseSync, resumeSync, stopSync } from 'tk/api';
import { formatDateTime } from 'tk/format';
import { apiError, byId, cleanup, click, flush, mount, must, text } from '../../../../__tests__/helpers';
import * as fx from '../../../../__tests__/fixtures';
import type { StatusView } from '../../../../../contract';

jest.mock('tk/api', () => ({ pauseSync: jest.fn(), resumeSync: jest.fn(), stopSync: jest.fn() }));

const mocked = (fn: unknown) => fn as jest.Mock;
const parts = (s: StatusView) => ({ activity: s.activity, scheduler: s.scheduler, lastRun: s.lastRun });

function flip(input: HTMLInputElement): void {
  input.checked = !input.checked;
  input.dispatchEvent(new CustomEvent('change'));
}

describe('tk-progress', () => {
  afterEach(cleanup);

  it('shows a bar per object while the backfill runs, with records, rate and ETA', () => {
    const el = mount('tk-progress', Progress, parts(fx.statusRunning()));
    const member = must(el, 'progress-member');
    const bar = member.querySelector('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(bar.getAttribute('aria-valuemin')).toBe('0');
    expect(bar.getAttribute('aria-valuemax')).toBe('100');
    expect(bar.getAttribute('aria-valuetext')).toBe('620 of 1,240 records, 50% complete');
    expect(member.querySelector<HTMLElement>('.slds-progress-bar__value')!.style.width).toBe('50%');
    expect(text(el, 'progress-member')).toContain('620 of 1,240 records');
    expect(text(el, 'progress-member')).toContain('155 records/s');
    expect(text(el, 'progress-member')).toContain('about 4 s left');
    expect(text(el, 'progress-member')).toContain('Salesforce is processing');
    expect(must(el, 'progress-community').getAttribute('data-phase')).toBe('done');
    expect(text(el, 'progress-activity')).toContain('0 of 58,210 records');
    expect(text(el, 'scheduler-state')).toBe('Running');
    expect(text(el, 'next-run')).toBe('Not scheduled');
  });

  it('shows the waiting schedule with the next run in local time, the last run and its error', () => {
    const s = fx.statusWaiting();
    const el = mount('tk-progress', Progress, parts(s));
    expect(text(el, 'scheduler-state')).toBe('Waiting for the next run');
    expect(text(el, 'next-run')).toBe(formatDateTime('2026-03-04T14:20:00.000Z'));
    expect(text(el, 'next-run')).toMatch(/Mar 4, 2026/);
    expect(text(el, 'last-run')).toContain('Backfill run #7, partially failed');
    expect(text(el, 'last-error')).toContain('The integration user cannot read Contact.');
    expect(must(el, 'last-error').querySelectorAll('li')).toHaveLength(2);
    expect(must<HTMLInputElement>(el, 'pause-toggle').checked).toBe(false);
    // The finished backfill's counts stay visible.
    expect(text(el, 'progress-activity')).toContain('58,210 of 58,210 records');
  });

  it('says how many member links wait for Contact access between runs, and nothing while a run looks them up', async () => {
    const el = mount('tk-progress', Progress, { ...parts(fx.statusWaiting()), waitingLinks: 1240 });
    expect(text(el, 'waiting-links')).toContain('1,240 member link(s) wait for Contact access');
    expect(must(el, 'waiting-links').getAttribute('role')).toBe('status');
    Object.assign(el, { activity: { ...fx.statusRunning().activity!, runType: 'rematch' } });
    await flush();
    expect(byId(el, 'waiting-links')).toBeNull();
    expect(text(el, 'run-heading')).toBe('Run in progress: Re-match');
    Object.assign(el, { activity: null, waitingLinks: 0 });
    await flush();
    expect(byId(el, 'waiting-links')).toBeNull();
  });

  it('says the sync has not started before the first run', () => {
    const el = mount('tk-progress', Progress, parts(fx.statusConnected()));
    expect(byId(el, 'progress-member')).toBeNull();
    expect(text(el, 'progress-not-started')).toContain('has not started');
    expect(must<HTMLButtonElement>(el, 'stop-button').disabled).toBe(true);
  });

  it('pauses when the toggle is switched on, and hands the new status up', async () => {
    const paused = fx.statusPaused();
    mocked(pauseSync).mockResolvedValue(paused);
    const el = mount('tk-progress', Progress, parts(fx.statusWaiting()));
    const changed = jest.fn();
    el.addEventListener('statuschange', changed);
    flip(must(el, 'pause-toggle'));
    await flush();
    expect(pauseSync).toHaveBeenCalledTimes(1);
    expect(resumeSync).not.toHaveBeenCalled();
    expect(changed.mock.calls[0][0].detail).toBe(paused);
  });

  it('resumes when a paused toggle is switched off', async () => {
    mocked(resumeSync).mockResolvedValue(fx.statusWaiting());
    const el = mount('tk-progress', Progress, parts(fx.statusPaused()));
    const toggle = must<HTMLInputElement>(el, 'pause-toggle');
    expect(toggle.checked).toBe(true);
    expect(text(el, 'scheduler-state')).toBe('Paused');
    flip(toggle);
    await flush();
    expect(resumeSync).toHaveBeenCalledTimes(1);
    expect(pauseSync).not.toHaveBeenCalled();
  });

  it('puts the toggle back and explains when pausing fails', async () => {
    mocked(pauseSync).mockRejectedValue(
      apiError(409, 'STATE_DIR_BUSY', 'Another process holds the state directory.', ['Stop it first.']),
    );
    const el = mount('tk-progress', Progress, parts(fx.statusWaiting()));
    const toggle = must<HTMLInputElement>(el, 'pause-toggle');
    flip(toggle);
    await flush();
    expect(toggle.checked).toBe(false);
    expect(text(el, 'schedule-error')).toContain('Another process holds the state directory.');
  });

  it('stops the sync', async () => {
    mocked(stopSync).mockResolvedValue(fx.statusConnected());
    const el = mount('tk-progress', Progress, parts(fx.statusRunning()));
    const changed = jest.fn();
    el.addEventListener('statuschange', changed);
    click(el, 'stop-button');
    await flush();
    expect(stopSync).toHaveBeenCalledTimes(1);
    expect(changed).toHaveBeenCalledTimes(1);
  });
});
