import Setup from 'tk/setup';
import { startSync } from 'tk/api';
import { byId, cleanup, click, flush, mount, must, text } from '../../../../__tests__/helpers';
import * as fx from '../../../../__tests__/fixtures';

jest.mock('tk/api', () => ({ startSync: jest.fn(), getConfig: jest.fn(), connectSlack: jest.fn() }));

const mocked = (fn: unknown) => fn as jest.Mock;

describe('tk-setup', () => {
  afterEach(cleanup);

  it('shows the four steps and a section for each; the community source is optional', async () => {
    const el = mount('tk-setup', Setup, { status: fx.statusConnected() });
    await flush();
    const ids = ['step-connect', 'step-source', 'step-configure', 'step-backfill'];
    expect(ids.map((id) => must(el, id).getAttribute('data-state'))).toEqual([
      'complete',
      'upcoming',
      'current',
      'upcoming',
    ]);
    expect(text(el, 'step-source')).toBe('2. Community source: Optional');
    expect(text(el, 'step-configure')).toBe('3. Configure: Current step');
    expect(byId(el, 'connection-summary')).not.toBeNull();
    expect(byId(el, 'slack-bot-token')).not.toBeNull();
    expect(byId(el, 'interval')).not.toBeNull();
    expect(byId(el, 'progress-not-started')).not.toBeNull();
  });

  it('completes the source step and shows the workspace once Slack is connected', async () => {
    const el = mount('tk-setup', Setup, { status: fx.statusWithSlack() });
    await flush();
    expect(must(el, 'step-source').getAttribute('data-state')).toBe('complete');
    expect(text(el, 'section-source')).toContain('2. Community source: Slack');
    expect(text(el, 'source-status')).toBe('Slack Acme Community: up to date');
    expect(byId(el, 'slack-bot-token')).toBeNull();
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
