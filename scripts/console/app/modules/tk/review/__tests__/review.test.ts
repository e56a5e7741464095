import Review from 'tk/review';
import { startSync } from 'tk/api';
import { apiError, byId, cleanup, click, flush, mount, must, text } from '../../../../__tests__/helpers';
import * as fx from '../../../../__tests__/fixtures';

jest.mock('tk/api', () => ({ startSync: jest.fn() }));

const mocked = (fn: unknown) => fn as jest.Mock;

function mountReview() {
  const s = fx.statusConnected();
  return mount('tk-review', Review, {
    config: { ...s.config, createContacts: true },
    connection: s.connection,
    store: s.store,
  });
}

describe('tk-review', () => {
  afterEach(cleanup);

  it('shows the connection, the configuration and the plan, read-only', async () => {
    const el = mountReview();
    await flush();
    expect(must(el, 'review-dialog').getAttribute('aria-modal')).toBe('true');
    expect(text(el, 'review-connection')).toContain('sync@acme.example');
    const value = (field: string) =>
      el.querySelector(`[data-id="review-config"] [data-field="${field}"] dd`)?.textContent;
    expect(value('createContacts')).toBe('On');
    expect(value('activityMetadata')).toBe('Off');
    expect(value('interval')).toBe('5 minutes');
    expect(value('weights')).toContain('Post Created 5, Event Attended 5');
    expect(value('thresholds')).toBe('Champion ≥ 40, High ≥ 15, Medium ≥ 5');
    expect(text(el, 'review-plan')).toBe(
      'A backfill of 1 communities, 1,240 members and 58,210 activities, then an incremental sync every 5 minutes.',
    );
    expect(must(el, 'review-dialog').querySelectorAll('input')).toHaveLength(0);
  });

  it('starts the sync on confirm and hands the new status up', async () => {
    const status = fx.statusRunning();
    mocked(startSync).mockResolvedValue(status);
    const el = mountReview();
    const started = jest.fn();
    el.addEventListener('started', started);
    click(el, 'confirm-start');
    await flush();
    expect(startSync).toHaveBeenCalledWith({});
    expect(started.mock.calls[0][0].detail).toBe(status);
  });

  it('shows a 409 inside the dialog with its actions', async () => {
    mocked(startSync).mockRejectedValue(
      apiError(409, 'CHECKS_FAILED', 'A blocking check failed: the integration user cannot read Contact.', [
        'Grant Read on Contact in a permission set of your own.',
        'Run Test connection again.',
      ]),
    );
    const el = mountReview();
    const started = jest.fn();
    el.addEventListener('started', started);
    click(el, 'confirm-start');
    await flush();
    const dialog = must(el, 'review-dialog');
    const error = must(el, 'start-error');
    expect(dialog.contains(error)).toBe(true);
    expect(error.getAttribute('role')).toBe('alert');
    expect(text(el, 'start-error')).toContain('cannot read Contact');
    expect(error.querySelectorAll('li')).toHaveLength(2);
    expect(started).not.toHaveBeenCalled();
    expect(must<HTMLButtonElement>(el, 'confirm-start').disabled).toBe(false);
  });

  it('closes on Escape, but not while starting', async () => {
    let resolve: (v: unknown) => void = () => undefined;
    mocked(startSync).mockReturnValue(new Promise((r) => (resolve = r)));
    const el = mountReview();
    const closed = jest.fn();
    el.addEventListener('close', closed);
    await flush();
    click(el, 'confirm-start');
    await flush();
    must(el, 'review-dialog').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(closed).not.toHaveBeenCalled();
    resolve(fx.statusRunning());
    await flush();
    must(el, 'review-dialog').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(closed).toHaveBeenCalledTimes(1);
    expect(byId(el, 'start-error')).toBeNull();
  });

  it('keeps Tab inside the dialog', async () => {
    const el = mountReview();
    await flush();
    const dialog = must(el, 'review-dialog');
    const buttons = Array.from(dialog.querySelectorAll('button'));
    const last = buttons[buttons.length - 1];
    last.focus();
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }));
    expect(document.activeElement).toBe(buttons[0]);
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true }));
    expect(document.activeElement).toBe(last);
  });
});
