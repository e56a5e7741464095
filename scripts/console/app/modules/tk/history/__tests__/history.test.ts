import History from 'tk/history';
import { listRuns } from 'tk/api';
import { formatDateTime } from 'tk/format';
import { apiError, byId, cleanup, click, flush, mount, must, text } from '../../../../__tests__/helpers';
import * as fx from '../../../../__tests__/fixtures';

jest.mock('tk/api', () => ({ listRuns: jest.fn() }));

const mocked = (fn: unknown) => fn as jest.Mock;

describe('tk-history', () => {
  beforeEach(() => mocked(listRuns).mockResolvedValue(fx.runs()));
  afterEach(cleanup);

  it('lists the runs newest first with type, start, duration, status and counts per object', async () => {
    const el = mount('tk-history', History, { lastRun: null });
    await flush();
    expect(listRuns).toHaveBeenCalledWith(50);
    const rows = el.querySelectorAll('tbody [data-id^="run-row-"]');
    expect(Array.from(rows).map((r) => r.getAttribute('data-id'))).toEqual([
      'run-row-9',
      'run-row-8',
      'run-row-7',
      'run-row-6',
    ]);
    const row7 = must(el, 'run-row-7');
    const cells = Array.from(row7.children).map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim());
    expect(cells[0]).toContain('#7');
    expect(cells[1]).toBe('Backfill');
    expect(cells[2]).toBe(formatDateTime('2026-03-04T14:10:00.000Z'));
    expect(cells[3]).toBe('3 min 25 s');
    expect(cells[4]).toBe('Partially failed');
    expect(row7.querySelector('[data-object="member"] [aria-hidden]')?.textContent).toBe('1,228 ✓ / 12 ✗');
    expect(row7.querySelector('[data-object="member"] .slds-assistive-text')?.textContent).toBe(
      '1,228 succeeded, 12 failed',
    );
    // The status is a word and an icon, not only a colour.
    expect(row7.querySelector('.slds-badge use')?.getAttribute('href')).toContain('#warning');
  });

  it('expands a row to its summary and collapses it again', async () => {
    const el = mount('tk-history', History, { lastRun: null });
    await flush();
    const button = must<HTMLButtonElement>(el, 'run-expand-7');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(byId(el, 'run-summary-7')).toBeNull();
    button.click();
    await flush();
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const summary = must(el, 'run-summary-7');
    expect(button.getAttribute('aria-controls')).toBe(summary.id);
    const activity = summary.querySelector('[data-object="activity"]')!;
    expect(Array.from(activity.children).map((c) => c.textContent)).toEqual([
      'Activities',
      '58,210',
      '58,030',
      '0',
      '180',
      '0',
      '0',
    ]);
    expect(text(el, 'run-summary-7')).toContain('API calls: 42');
    expect(text(el, 'run-summary-7')).toContain('12 members failed: the integration user cannot read Contact.');
    click(el, 'run-expand-7');
    await flush();
    expect(byId(el, 'run-summary-7')).toBeNull();
  });

  it('offers Investigate only for runs with failures', async () => {
    const el = mount('tk-history', History, { lastRun: null });
    await flush();
    expect(must<HTMLAnchorElement>(el, 'investigate-7').getAttribute('href')).toBe('#/runs/7');
    expect(byId(el, 'investigate-8')).not.toBeNull(); // Failed
    expect(byId(el, 'investigate-6')).not.toBeNull(); // Succeeded, but one activity failed
    expect(byId(el, 'investigate-9')).toBeNull();
  });

  it('reloads when the status reports a new last run, not on the same one', async () => {
    const el = mount('tk-history', History, { lastRun: fx.runs()[0] });
    await flush();
    expect(listRuns).toHaveBeenCalledTimes(1);
    Object.assign(el, { lastRun: fx.runs()[0] });
    await flush();
    expect(listRuns).toHaveBeenCalledTimes(1);
    Object.assign(el, { lastRun: { ...fx.runs()[0], runId: 10 } });
    await flush();
    expect(listRuns).toHaveBeenCalledTimes(2);
  });

  it('says so when there are no runs, and shows a failure to load', async () => {
    mocked(listRuns).mockResolvedValueOnce([]);
    const el = mount('tk-history', History, { lastRun: null });
    await flush();
    expect(text(el, 'history-empty')).toBe('No runs yet.');
    mocked(listRuns).mockRejectedValueOnce(apiError(500, 'STORE_ERROR', 'The store could not be read.'));
    click(el, 'history-refresh');
    await flush();
    expect(text(el, 'history-error')).toContain('The store could not be read.');
  });
});
