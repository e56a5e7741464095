import Investigate from 'tk/investigate';
import { getRun, retryRun } from 'tk/api';
import { apiError, byId, cleanup, click, flush, mount, must, text } from '../../../../__tests__/helpers';
import * as fx from '../../../../__tests__/fixtures';

jest.mock('tk/api', () => ({ getRun: jest.fn(), retryRun: jest.fn() }));

const mocked = (fn: unknown) => fn as jest.Mock;

async function open(runId = 7) {
  const el = mount('tk-investigate', Investigate, { runId });
  await flush();
  return el;
}

describe('tk-investigate', () => {
  beforeEach(() => mocked(getRun).mockResolvedValue(fx.investigation()));
  afterEach(cleanup);

  it('loads the run and shows its header', async () => {
    const el = await open();
    expect(getRun).toHaveBeenCalledWith(7);
    expect(text(el, 'investigate-title')).toContain('Investigate run #7');
    expect(text(el, 'investigate-title')).toContain('Partially failed');
    expect(text(el, 'investigate-summary')).toMatch(
      /^Backfill · Partially failed · started Mar 4, 2026, .* · 3 min 25 s$/,
    );
    expect(text(el, 'investigate-counts')).toContain('Members: 1,228 succeeded, 12 failed');
  });

  it('lists the Bulk jobs per object with their Salesforce ids and counts', async () => {
    const el = await open();
    const members = must(el, 'jobs-member');
    const rows = members.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    const cells = Array.from(rows[0].children).map((c) => c.textContent);
    expect(cells.slice(0, 9)).toEqual([
      '750000000000002AAA',
      'upsert',
      'records',
      'Bulk API 2.0',
      'JobComplete',
      '1,240',
      '1,240',
      '12',
      '7',
    ]);
    expect(must(el, 'jobs-community').querySelector('tbody tr td:nth-child(4)')?.textContent).toBe(
      'sObject Collections',
    );
    expect(must(el, 'jobs-activity').querySelectorAll('tbody tr')).toHaveLength(1);
  });

  it('groups failed records by error with the plain-language cause and fix, and sample ids', async () => {
    const el = await open();
    const group = must(el, 'error-group-INSUFFICIENT_ACCESS_OR_READONLY');
    expect(group.querySelector('[data-id="error-count"]')?.textContent).toBe('12 records failed, 2 since resolved');
    expect(group.textContent).toContain('insufficient access rights on cross-reference id');
    expect(group.querySelector('[data-id="error-cause"]')?.textContent).toContain('cannot read Contact');
    expect(group.querySelector('[data-id="error-fix"]')?.textContent).toContain('Grant Read on Contact');
    expect(group.querySelectorAll('[data-id="error-samples"] li')).toHaveLength(12);
    expect(group.querySelector('[data-id="error-samples"] li')?.textContent).toBe('slack:T01:U000');
    // An error the sync does not know says so instead of inventing a cause.
    const unknown = must(el, 'error-group-FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(unknown.querySelector('[data-id="error-cause"]')).toBeNull();
    expect(unknown.querySelector('[data-id="error-no-hint"]')).not.toBeNull();
  });

  it('shows at most 20 sample ids', async () => {
    const inv = fx.investigation();
    inv.errors[0].records = Array.from({ length: 30 }, (_, i) => ({
      externalId: `id-${i}`,
      error: 'x',
      resolvedByRun: null,
    }));
    mocked(getRun).mockResolvedValue(inv);
    const el = await open();
    expect(
      must(el, 'error-group-INSUFFICIENT_ACCESS_OR_READONLY').querySelectorAll('[data-id="error-samples"] li'),
    ).toHaveLength(20);
  });

  it('shows held-back records with their reason and hint, and the run events', async () => {
    const el = await open();
    expect(text(el, 'held-back')).toContain('180 activities records: member-failed');
    expect(text(el, 'held-back')).toContain('Fix the member errors first');
    expect(text(el, 'run-events')).toContain('12 member records failed.');
  });

  it('shows a re-match that could not read Contact: the MATCHING_UNAVAILABLE event with its cause and fix', async () => {
    mocked(getRun).mockResolvedValue(fx.investigationMatching());
    const el = await open(12);
    expect(text(el, 'investigate-summary')).toMatch(/^Re-match · Partially failed · /);
    const event = must(el, 'event-MATCHING_UNAVAILABLE');
    expect(text(event, 'event-cause')).toBe(
      "Cause: The integration user cannot read Contact, so members could not be matched. The members' own data was pushed; their links wait.",
    );
    expect(text(event, 'event-fix')).toMatch(/^Fix: Grant Read on Contact in a permission set of your own/);
    expect(text(event, 'event-fix')).toContain('The next run links every waiting member by itself');
    expect(event.textContent).toContain('the integration user cannot read Contact (INSUFFICIENT_ACCESS');
    // An event without a hint has neither line.
    expect(byId(must(el, 'event-0'), 'event-cause')).toBeNull();
  });

  it('retries the run and says the retry is running, with a way back to Setup', async () => {
    mocked(retryRun).mockResolvedValue(fx.statusRunning());
    const el = await open();
    const changed = jest.fn();
    el.addEventListener('statuschange', changed);
    expect(byId(el, 'retry-started')).toBeNull();
    click(el, 'retry-button');
    await flush();
    expect(retryRun).toHaveBeenCalledWith(7);
    expect(text(el, 'retry-started')).toContain('The retry of run #7 is running.');
    expect(must(el, 'retry-started').querySelector('a')?.getAttribute('href')).toBe('#/setup');
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it('explains a refused retry', async () => {
    mocked(retryRun).mockRejectedValue(
      apiError(409, 'ALREADY_RUNNING', 'A run is already under way.', ['Wait for it to finish.']),
    );
    const el = await open();
    click(el, 'retry-button');
    await flush();
    expect(byId(el, 'retry-started')).toBeNull();
    expect(text(el, 'retry-error')).toContain('A run is already under way.');
  });

  it('shows a missing run', async () => {
    mocked(getRun).mockRejectedValue(apiError(404, 'RUN_NOT_FOUND', 'There is no run #99.', ['Open Sync History.']));
    const el = await open(99);
    expect(text(el, 'investigate-error')).toContain('There is no run #99.');
    expect(byId(el, 'retry-button')).toBeNull();
  });
});
