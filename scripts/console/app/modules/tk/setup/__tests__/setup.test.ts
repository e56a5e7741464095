import Setup from 'tk/setup';
import { startSync } from 'tk/api';
import { byId, cleanup, click, flush, mount, must, text } from '../../../../__tests__/helpers';
import * as fx from '../../../../__tests__/fixtures';

jest.mock('tk/api', () => ({ startSync: jest.fn(), getConfig: jest.fn() }));

const mocked = (fn: unknown) => fn as jest.Mock;

describe('tk-setup', () => {
  afterEach(cleanup);

  it('shows the three steps and a section for each', async () => {
    const el = mount('tk-setup', Setup, { status: fx.statusConnected() });
    await flush();
    expect(
      ['step-connect', 'step-configure', 'step-backfill'].map((id) => must(el, id).getAttribute('data-state')),
    ).toEqual(['complete', 'current', 'upcoming']);
    expect(text(el, 'step-configure')).toBe('2. Configure: Current step');
    expect(byId(el, 'connection-summary')).not.toBeNull();
    expect(byId(el, 'interval')).not.toBeNull();
    expect(byId(el, 'progress-not-started')).not.toBeNull();
  });

  it('opens the review from Configure, starts, closes it and hands the status up', async () => {
    const running = fx.statusRunning();
    mocked(startSync).mockResolvedValue(running);
    const el = mount('tk-setup', Setup, { status: fx.statusConnected() });
    const changed = jest.fn();
    el.addEventListener('statuschange', changed);
    await flush();
    expect(byId(el, 'review-dialog')).toBeNull();
    click(el, 'review-button');
    await flush();
    expect(text(el, 'review-plan')).toContain('1,240 members');
    click(el, 'confirm-start');
    await flush();
    expect(byId(el, 'review-dialog')).toBeNull();
    expect(changed.mock.calls[0][0].detail).toBe(running);
  });

  it('keeps Review and start disabled while the sync runs', async () => {
    const el = mount('tk-setup', Setup, { status: fx.statusWaiting() });
    await flush();
    expect(must<HTMLButtonElement>(el, 'review-button').disabled).toBe(true);
    expect(text(el, 'review-hint')).toContain('already running');
  });
});
