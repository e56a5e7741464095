import App from 'tk/app';
import { getStatus, onUnauthorized, subscribe } from 'tk/api';
import { byId, cleanup, flush, mount, must, text } from '../../../../__tests__/helpers';
import * as fx from '../../../../__tests__/fixtures';
import type { StatusView } from '../../../../../contract';

jest.mock('tk/api', () => ({
  subscribe: jest.fn(),
  onUnauthorized: jest.fn(),
  getStatus: jest.fn(),
  getConfig: jest.fn(() => new Promise(() => undefined)),
  listRuns: jest.fn(() => Promise.resolve([])),
  getRun: jest.fn(() => new Promise(() => undefined)),
}));

const mocked = (fn: unknown) => fn as jest.Mock;
let push: (status: StatusView) => void = () => undefined;
let expire: () => void = () => undefined;

async function start(hash = '') {
  window.location.hash = hash;
  const el = mount('tk-app', App);
  await flush();
  return el;
}

describe('tk-app', () => {
  beforeEach(() => {
    mocked(subscribe).mockImplementation((cb: (s: StatusView) => void) => {
      push = cb;
      return jest.fn();
    });
    mocked(onUnauthorized).mockImplementation((cb: () => void) => {
      expire = cb;
      return jest.fn();
    });
  });
  afterEach(() => {
    cleanup();
    window.location.hash = '';
  });

  it('waits for the first status, then shows the header with org, user and schedule', async () => {
    const el = await start();
    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(byId(el, 'step-connect')).toBeNull();
    push(fx.statusWaiting());
    await flush();
    expect(text(el, 'product-name')).toBe('Tightknit Sync');
    expect(text(el, 'header-org')).toBe('Connected to https://acme.my.salesforce.com as sync@acme.example');
    expect(text(el, 'scheduler-badge')).toBe('Schedule: Waiting for the next run');
  });

  it("shows the community source's state under the org line, polled with the status", async () => {
    const el = await start();
    push(fx.statusWaiting());
    await flush();
    expect(el.querySelector('header [data-id="source-status"]')).toBeNull();
    push({ ...fx.statusWaiting(), source: fx.sourceSlack({ events: 'http', pendingEvents: 12, lagSeconds: 300 }) });
    await flush();
    expect(text(el.querySelector('header')!, 'source-status')).toBe(
      'Slack Acme Community: 12 events waiting, 5 min behind',
    );
    push({ ...fx.statusWaiting(), source: fx.sourceSlack() });
    await flush();
    expect(text(el.querySelector('header')!, 'source-status')).toBe('Slack Acme Community: up to date');
  });

  it('marks Connect current when there is no connection', async () => {
    const el = await start();
    push(fx.statusDisconnected());
    await flush();
    expect(text(el, 'header-org')).toBe('Not connected to Salesforce');
    expect(must(el, 'step-connect').getAttribute('data-state')).toBe('current');
    expect(must(el, 'step-connect').getAttribute('aria-current')).toBe('step');
    expect(must(el, 'step-configure').getAttribute('data-state')).toBe('upcoming');
    expect(byId(el, 'connect-button')).not.toBeNull();
  });

  it('moves to Configure once connected, and to Backfill once started', async () => {
    const el = await start();
    push(fx.statusConnected());
    await flush();
    expect(must(el, 'step-connect').getAttribute('data-state')).toBe('complete');
    expect(must(el, 'step-configure').getAttribute('data-state')).toBe('current');
    expect(text(el, 'step-connect')).toContain('Complete');
    push(fx.statusRunning());
    await flush();
    expect(must(el, 'step-configure').getAttribute('data-state')).toBe('complete');
    expect(must(el, 'step-backfill').getAttribute('data-state')).toBe('current');
    expect(byId(el, 'progress-member')).not.toBeNull();
    push(fx.statusWaiting());
    await flush();
    expect(must(el, 'step-backfill').getAttribute('data-state')).toBe('complete');
  });

  it('routes the hash to Sync History and to a run, with the tabs in step', async () => {
    const el = await start('#/history');
    push(fx.statusWaiting());
    await flush();
    expect(must(el, 'tab-history').getAttribute('aria-selected')).toBe('true');
    expect(must(el, 'tab-setup').getAttribute('aria-selected')).toBe('false');
    expect(must(el, 'tab-setup').getAttribute('tabindex')).toBe('-1');
    expect(el.querySelector('tk-history')).not.toBeNull();
    expect(byId(el, 'step-connect')).toBeNull();
    window.location.hash = '#/runs/7';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await flush();
    expect(byId(el, 'investigate-page')).not.toBeNull();
    expect(must(el, 'tab-history').getAttribute('aria-selected')).toBe('true');
  });

  it('moves between tabs with the arrow keys', async () => {
    const el = await start();
    push(fx.statusWaiting());
    await flush();
    const setupTab = must(el, 'tab-setup');
    expect(setupTab.getAttribute('role')).toBe('tab');
    expect(setupTab.parentElement?.parentElement?.getAttribute('role')).toBe('tablist');
    setupTab.focus();
    setupTab.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await flush();
    expect(window.location.hash).toBe('#/history');
    expect(must(el, 'tab-history').getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(must(el, 'tab-history'));
    must(el, 'tab-history').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await flush();
    expect(window.location.hash).toBe('#/setup');
  });

  it('takes the status a child hands up, and refreshes after a connection change', async () => {
    mocked(getStatus).mockResolvedValue(fx.statusConnected());
    const el = await start();
    push(fx.statusDisconnected());
    await flush();
    el.querySelector('tk-connection')!.dispatchEvent(new CustomEvent('connectionchange'));
    await flush();
    expect(getStatus).toHaveBeenCalledTimes(1);
    expect(must(el, 'step-configure').getAttribute('data-state')).toBe('current');
    el.querySelector('tk-progress')!.dispatchEvent(new CustomEvent('statuschange', { detail: fx.statusPaused() }));
    await flush();
    expect(text(el, 'scheduler-badge')).toBe('Schedule: Paused');
  });

  it('keeps a newer server-sent status when an older answer to a request arrives after it', async () => {
    const el = await start();
    const resumed = fx.statusWaiting();
    resumed.revision.seq = 8;
    const answer = fx.statusPaused();
    answer.revision.seq = 7;
    push(resumed);
    await flush();
    el.querySelector('tk-progress')!.dispatchEvent(new CustomEvent('statuschange', { detail: answer }));
    await flush();
    expect(text(el, 'scheduler-badge')).toBe('Schedule: Waiting for the next run');
    // A restarted console counts from 1 again: its statuses are taken.
    answer.revision.server = 'another-process';
    el.querySelector('tk-progress')!.dispatchEvent(new CustomEvent('statuschange', { detail: answer }));
    await flush();
    expect(text(el, 'scheduler-badge')).toBe('Schedule: Paused');
  });

  it('replaces the page with the expired-session message on a 401', async () => {
    const el = await start();
    push(fx.statusWaiting());
    await flush();
    expire();
    await flush();
    expect(text(el, 'session-expired')).toContain('tightknit-sync console');
    expect(byId(el, 'tab-setup')).toBeNull();
  });
});
